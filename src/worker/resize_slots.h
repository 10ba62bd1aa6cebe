#pragma once
// The resize slots of a WorkerPool: a counting semaphore in which a loop taking its slot back
// after fetching an image goes before the loops that want one to lease a new task. Those hold a
// slot while they wait for work and take it again at once when they find none, so with a plain
// semaphore a loop coming back from a fetch could wait for ever.
// An operator may change the number of slots at run time (slots held over a lower number are
// kept until given back) and pause them: then only loops resuming a task they hold get one.
// Thread safety: every method from any thread at once.

#include <condition_variable>
#include <mutex>

namespace image_resize::worker {

class ResizeSlots {
 public:
  explicit ResizeSlots(int slots) : slots_(slots), free_(slots) {}

  // Blocks until a slot is free (and, unless `resuming`, no resuming loop waits for one and the
  // slots are not paused). false, without a slot, once close() was called.
  bool acquire(bool resuming) {
    std::unique_lock lock(mutex_);
    if (resuming) ++resuming_;
    freed_.wait(
        lock, [&] { return closed_ || (free_ > 0 && (resuming || (resuming_ == 0 && !paused_))); });
    if (resuming) --resuming_;
    if (closed_) return false;
    --free_;
    return true;
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_all();
  }

  // From now on `slots` at once; the slots held over that are not taken away.
  void set_count(int slots) {
    {
      std::lock_guard lock(mutex_);
      free_ += slots - slots_;
      slots_ = slots;
    }
    freed_.notify_all();
  }

  void set_paused(bool paused) {
    {
      std::lock_guard lock(mutex_);
      paused_ = paused;
    }
    freed_.notify_all();
  }

  // The pool stops: every acquire() returns false from now on, at once.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    freed_.notify_all();
  }

  int count() const {
    std::lock_guard lock(mutex_);
    return slots_;
  }
  bool paused() const {
    std::lock_guard lock(mutex_);
    return paused_;
  }
  // More slots are held than the count allows (it was just lowered): a holder that has not
  // started a task yet should give its slot up.
  bool over_count() const {
    std::lock_guard lock(mutex_);
    return free_ < 0;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int slots_;            // guarded by mutex_
  int free_;             // guarded by mutex_: below 0 after a lower count, until slots come back
  int resuming_ = 0;     // guarded by mutex_: resuming loops waiting for a slot
  bool paused_ = false;  // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
};

}  // namespace image_resize::worker
