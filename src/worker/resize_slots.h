#pragma once
// The resize slots of a WorkerPool: a counting semaphore in which a loop taking its slot back
// after fetching an image goes before the loops that want one to lease a new task. Those hold a
// slot while they wait for work and take it again at once when they find none, so with a plain
// semaphore a loop coming back from a fetch could wait for ever.
// Thread safety: every method from any thread at once.

#include <condition_variable>
#include <mutex>

namespace image_resize::worker {

class ResizeSlots {
 public:
  explicit ResizeSlots(int slots) : free_(slots) {}

  // Blocks until a slot is free (and, unless `resuming`, no resuming loop waits for one).
  void acquire(bool resuming) {
    std::unique_lock lock(mutex_);
    if (resuming) ++resuming_;
    freed_.wait(lock, [&] { return free_ > 0 && (resuming || resuming_ == 0); });
    if (resuming) --resuming_;
    --free_;
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  int free_;          // guarded by mutex_
  int resuming_ = 0;  // guarded by mutex_: resuming loops waiting for a slot
};

}  // namespace image_resize::worker
