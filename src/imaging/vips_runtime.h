#pragma once
// libvips' process-wide lifecycle in one place (STYLE.md principle 8): vips_init exactly once,
// no operation cache (every upload is different, and the cache would pin decoded images),
// one libvips worker thread per task (throughput comes from many tasks at once), untrusted
// loaders blocked, and GLib "VIPS" log messages sent to core::log.

#include "core/result.h"

namespace image_resize::imaging {

class VipsRuntime {
 public:
  // libvips threads per image. One: the worker pool runs many images at once, and more threads
  // per image would only contend for the same cores.
  static constexpr int kConcurrency = 1;

  // Starts libvips on the first call; later calls return the first call's result at once.
  // Thread-safe. Never shut down: libvips is used until the process exits.
  static core::Status ensure_started();
};

}  // namespace image_resize::imaging
