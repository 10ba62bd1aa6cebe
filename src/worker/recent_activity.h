#pragma once
// The outcomes of one worker process over the last minute, in one-second slots, for its
// heartbeat (core::ActivityWindow). Old slots are reused as time moves on, so memory is fixed.
// Thread safety: every method from any thread at once.

#include <cstdint>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/worker_status.h"

namespace image_resize::worker {

class RecentActivity {
 public:
  explicit RecentActivity(int window_seconds = 60);

  void record(bool succeeded, double processing_seconds, core::TimePoint at = core::now());
  // The window ending at `at`.
  core::ActivityWindow snapshot(core::TimePoint at = core::now()) const;

 private:
  struct Slot {
    std::int64_t second = -1;  // Unix second this slot counts, -1 when never used
    std::uint64_t succeeded = 0;
    std::uint64_t failed = 0;
    std::vector<std::uint64_t> buckets;  // per core::activity_bucket_bounds(), then overflow
  };

  const int window_seconds_;  // constant after construction
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;  // guarded by mutex_; indexed by second % window
};

}  // namespace image_resize::worker
