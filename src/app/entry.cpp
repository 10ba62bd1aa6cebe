#include "app/entry.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#include "app/modes.h"
#include "config/app_config.h"
#include "core/log.h"

namespace image_resize::app {

int run_program(int argc, char** argv, const ProgramHooks& hooks) {
  const config::LoadOutcome loaded = config::load_config(argc, argv, environ);
  if (!loaded.config) {
    std::fputs(loaded.message.c_str(), loaded.exit_code == 0 ? stdout : stderr);
    return loaded.exit_code;
  }
  const config::AppConfig& config = *loaded.config;
  if (config.malloc_arenas > 0) mallopt(M_ARENA_MAX, config.malloc_arenas);
  core::log::configure(config.log_level, config.log_format);
  switch (config.mode) {
    case config::Mode::serve: return run_serve(config, hooks.http_task_store);
    case config::Mode::api: return run_api(config, hooks.http_task_store);
    case config::Mode::worker: return run_worker(config);
    case config::Mode::imaging_helper: return run_imaging_helper(config, hooks.helper_imaging);
  }
  return 2;
}

}  // namespace image_resize::app
