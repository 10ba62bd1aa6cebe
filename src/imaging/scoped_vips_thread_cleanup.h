#pragma once
// Runs at the end of every job on the thread that ran it, on success and on error: clears
// libvips' error buffer, so one job's message never leaks into the next,
// and frees the thread's libvips buffers, which worker threads would otherwise keep for life.

namespace image_resize::imaging {

class ScopedVipsThreadCleanup {
 public:
  ScopedVipsThreadCleanup() = default;
  ~ScopedVipsThreadCleanup();
  ScopedVipsThreadCleanup(const ScopedVipsThreadCleanup&) = delete;
  ScopedVipsThreadCleanup& operator=(const ScopedVipsThreadCleanup&) = delete;
};

}  // namespace image_resize::imaging
