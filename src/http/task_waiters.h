#pragma once
// Long-poll support: requests waiting for a task to finish park on a timer here, holding no
// thread, and are woken when a worker reports the task finished (or at their deadline).
// Thread safety: notify() and wake_all() may be called from any thread; a Waiter belongs to the
// executor (strand) of the coroutine that subscribed it.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/task_id.h"

namespace image_resize::http {

class TaskWaiters {
 public:
  struct Waiter {
    explicit Waiter(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    bool woken = false;  // guarded by TaskWaiters::mutex_
  };

  // Register before reading the task's state, so that a notify in between is not lost.
  std::shared_ptr<Waiter> subscribe(const core::TaskId& id,
                                    const boost::asio::any_io_executor& executor);
  void unsubscribe(const core::TaskId& id, const std::shared_ptr<Waiter>& waiter);

  // Suspends until the waiter is woken or `until` passes; clears the woken flag.
  boost::asio::awaitable<void> wait(std::shared_ptr<Waiter> waiter,
                                    std::chrono::steady_clock::time_point until);

  // The task changed state: wake its waiters.
  void notify(const core::TaskId& id);
  // Shutting down: wake every waiter so long-polls answer now.
  void wake_all();
  // True once wake_all() was called: waiting loops should stop waiting.
  bool stopping();

 private:
  static void wake(const std::shared_ptr<Waiter>& waiter);

  std::mutex mutex_;
  std::unordered_map<core::TaskId, std::vector<std::shared_ptr<Waiter>>> waiters_;  // guarded
  bool all_woken_ = false;  // guarded by mutex_: set at shutdown, new waits return at once
};

}  // namespace image_resize::http
