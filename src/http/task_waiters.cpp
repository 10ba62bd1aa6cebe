#include "http/task_waiters.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace image_resize::http {

namespace asio = boost::asio;

std::shared_ptr<TaskWaiters::Waiter> TaskWaiters::subscribe(const core::TaskId& id,
                                                            const asio::any_io_executor& executor) {
  auto waiter = std::make_shared<Waiter>(executor);
  std::lock_guard lock(mutex_);
  waiter->woken = all_woken_;
  waiters_[id].push_back(waiter);
  return waiter;
}

void TaskWaiters::unsubscribe(const core::TaskId& id, const std::shared_ptr<Waiter>& waiter) {
  std::lock_guard lock(mutex_);
  auto found = waiters_.find(id);
  if (found == waiters_.end()) return;
  auto& list = found->second;
  list.erase(std::remove(list.begin(), list.end(), waiter), list.end());
  if (list.empty()) waiters_.erase(found);
}

asio::awaitable<void> TaskWaiters::wait(std::shared_ptr<Waiter> waiter,
                                        std::chrono::steady_clock::time_point until) {
  {
    std::lock_guard lock(mutex_);
    if (waiter->woken) {
      waiter->woken = all_woken_;
      co_return;
    }
  }
  // A notify from now on posts a cancel to this coroutine's executor, which runs only after
  // this coroutine suspends in async_wait: the wake-up cannot slip between check and wait.
  waiter->timer.expires_at(until);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mutex_);
  waiter->woken = all_woken_;
}

void TaskWaiters::wake(const std::shared_ptr<Waiter>& waiter) {
  waiter->woken = true;
  asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
}

void TaskWaiters::notify(const core::TaskId& id) {
  std::lock_guard lock(mutex_);
  auto found = waiters_.find(id);
  if (found == waiters_.end()) return;
  for (const auto& waiter : found->second) wake(waiter);
}

void TaskWaiters::wake_all() {
  std::lock_guard lock(mutex_);
  all_woken_ = true;
  for (auto& [id, list] : waiters_) {
    for (const auto& waiter : list) wake(waiter);
  }
}

}  // namespace image_resize::http

namespace image_resize::http {

bool TaskWaiters::stopping() {
  std::lock_guard lock(mutex_);
  return all_woken_;
}

}  // namespace image_resize::http
