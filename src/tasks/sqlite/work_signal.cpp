#include "tasks/sqlite/work_signal.h"

namespace image_resize::tasks {

std::uint64_t WorkSignal::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void WorkSignal::notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

bool WorkSignal::wait_for_change(std::uint64_t seen, std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, until, [&] { return generation_ != seen; });
}

}  // namespace image_resize::tasks
