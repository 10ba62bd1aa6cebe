#pragma once
// Wakes consumers blocked in SqliteTaskQueue::lease() as soon as this process adds or releases
// work, instead of letting them sleep until their next poll of the database. A generation counter
// rather than a flag: a waiter remembers the generation it saw before it looked at the database,
// so work added between its look and its wait is never missed.
// Thread safety: every method from any thread at once.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace image_resize::tasks {

class WorkSignal {
 public:
  std::uint64_t generation() const;
  // Something changed: wake every waiter.
  void notify();
  // Blocks until the generation differs from `seen` or `until` passes. true when it changed.
  bool wait_for_change(std::uint64_t seen, std::chrono::steady_clock::time_point until);

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;  // guarded by mutex_
};

}  // namespace image_resize::tasks
