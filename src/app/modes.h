#pragma once
// The composition roots: each builds the concrete stores for its mode, runs until SIGTERM or
// SIGINT, drains, and returns the process exit code.

#include "app/entry.h"
#include "config/app_config.h"

namespace image_resize::app {

// `http_task_store`: see ProgramHooks.
int run_serve(const config::AppConfig& config, const HttpTaskStore& http_task_store);
int run_api(const config::AppConfig& config, const HttpTaskStore& http_task_store);
int run_worker(const config::AppConfig& config);
// Not a composition root: the resize loop of a helper process (see isolation/).
int run_imaging_helper(const config::AppConfig& config, const HelperImaging& helper_imaging);

}  // namespace image_resize::app
