// image-resize: one binary, three modes. main only reads the configuration and hands over to the
// composition root of the chosen mode.
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "app/modes.h"
#include "config/app_config.h"
#include "core/log.h"

int main(int argc, char** argv) {
  using namespace image_resize;
  const config::LoadOutcome loaded = config::load_config(argc, argv, environ);
  if (!loaded.config) {
    std::fputs(loaded.message.c_str(), loaded.exit_code == 0 ? stdout : stderr);
    return loaded.exit_code;
  }
  const config::AppConfig& config = *loaded.config;
  if (config.malloc_arenas > 0) mallopt(M_ARENA_MAX, config.malloc_arenas);
  core::log::configure(config.log_level, config.log_format);
  switch (config.mode) {
    case config::Mode::serve: return app::run_serve(config);
    case config::Mode::api: return app::run_api(config);
    case config::Mode::worker: return app::run_worker(config);
    case config::Mode::imaging_helper: return app::run_imaging_helper(config);
  }
  return 2;
}
