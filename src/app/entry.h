#pragma once
// The whole program behind main(): reads the configuration and runs the chosen mode. A second
// executable (the tests' fault-injecting build) calls it with hooks of its own.

#include <functional>
#include <memory>

#include "imaging/image_processor.h"
#include "tasks/task_store.h"

namespace image_resize::app {

// What an imaging helper process resizes with; empty: libvips (VipsImageProcessor).
using HelperImaging = std::function<std::unique_ptr<imaging::ImageProcessor>()>;

// What the HTTP routes of `serve` and `api` store tasks through, given the mode's store;
// empty: that store itself.
using HttpTaskStore = std::function<std::unique_ptr<tasks::TaskStore>(tasks::TaskStore&)>;

// What a test build changes in the program; the real binary passes none.
struct ProgramHooks {
  HelperImaging helper_imaging;
  HttpTaskStore http_task_store;
};

int run_program(int argc, char** argv, const ProgramHooks& hooks = {});

}  // namespace image_resize::app
