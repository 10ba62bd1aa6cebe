#pragma once
// What one worker process did over the last minute, in one-second slots, for its heartbeat
// (core::ActivityWindow): the outcomes and processing times of the tasks it finished, and the
// queue waits of those it started. Old slots are reused as time moves on, so memory is fixed.
// Thread safety: every method from any thread at once.

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/resize_spec.h"
#include "core/worker_status.h"

namespace image_resize::worker {

class RecentActivity {
 public:
  explicit RecentActivity(int window_seconds = 60);

  void record(bool succeeded, double processing_seconds, core::TimePoint at = core::now());
  // A task of `priority` uploaded at `created_at` starts at `at`: it waited the difference.
  void record_start(core::Priority priority, core::TimePoint created_at,
                    core::TimePoint at = core::now());
  // The window ending at `at`.
  core::ActivityWindow snapshot(core::TimePoint at = core::now()) const;

 private:
  // Bucket counts per core::activity_bucket_bounds(), then overflow; empty until first used.
  using Buckets = std::vector<std::uint64_t>;
  struct Slot {
    std::int64_t second = -1;  // Unix second this slot counts, -1 when never used
    std::uint64_t succeeded = 0;
    std::uint64_t failed = 0;
    Buckets processing{};
    std::array<Buckets, 3> waiting{};  // by core::Priority
  };

  // The slot of `at`'s second, emptied first when it still counts an older second.
  Slot& slot_at(core::TimePoint at);

  const int window_seconds_;  // constant after construction
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;  // guarded by mutex_; indexed by second % window
};

}  // namespace image_resize::worker
