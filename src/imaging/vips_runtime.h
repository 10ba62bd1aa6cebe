#pragma once
// libvips' process-wide lifecycle in one place, since its settings are global: vips_init once,
// no operation cache (every upload is different, and the cache would pin decoded images),
// one libvips worker thread per task (throughput comes from many tasks at once), untrusted
// loaders blocked, and GLib "VIPS" log messages sent to core::log.

#include <cstdint>

#include "core/result.h"

namespace image_resize::imaging {

// What libvips holds now, process-wide (its tracked allocations: pixel buffers, not the
// allocator's overhead), for the /metrics gauges.
struct VipsMemory {
  std::int64_t bytes = 0;
  std::int64_t peak_bytes = 0;
  int allocations = 0;
  int open_files = 0;
};
VipsMemory vips_memory();

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
