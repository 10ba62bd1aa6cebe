#pragma once
// TaskEvents over Redis pub/sub (channel <prefix>finished): workers publish the id of each task
// that finished, and every `api` process subscribes to wake the long-polls waiting for it.
// The subscriber is a background thread with its own connection; when Redis goes away it
// reconnects and subscribes again, with backoff. Messages published meanwhile are lost (pub/sub
// keeps nothing), which TaskEvents allows: waiters re-read the task at their deadline.
// Thread safety: every method from any thread at once; the listener runs on the subscriber
// thread, one call at a time, and must return quickly and not throw.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "tasks/redis/redis_client.h"
#include "tasks/task_events.h"

namespace image_resize::tasks {

class RedisTaskEvents final : public TaskEvents {
 public:
  using Listener = std::function<void(const core::TaskId&)>;

  explicit RedisTaskEvents(std::shared_ptr<RedisClient> client);
  RedisTaskEvents(const RedisTaskEvents&) = delete;
  RedisTaskEvents& operator=(const RedisTaskEvents&) = delete;
  // stop().
  ~RedisTaskEvents() override;

  // PUBLISH on a pooled connection; a failure is logged at warn level.
  void publish_finished(const core::TaskId& id) override;

  // Starts the subscriber thread, which calls `listener` with the id of every task any process
  // publishes as finished from the moment subscribed() turns true. Once per object: a second call
  // fails (internal). Returns at once, even while Redis is down (the thread keeps trying).
  core::Status subscribe(Listener listener);
  // True while the subscription is confirmed by Redis on a live connection.
  bool subscribed() const { return subscribed_.load(); }
  // Ends the subscriber thread within about 100 ms, also while it waits to reconnect. Idempotent.
  void stop();

 private:
  void run(const Listener& listener);
  // One connection's life: subscribe, then deliver messages until it fails or stop() is called.
  // True when the subscription was confirmed (so the reconnect backoff starts over).
  bool listen(RedisConnection& connection, const Listener& listener);
  // Sleeps up to `duration`; false when stop() was called.
  bool sleep_unless_stopped(std::chrono::milliseconds duration);

  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;

  std::atomic<bool> subscribed_{false};
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;  // guarded by mutex_
  bool started_ = false;   // guarded by mutex_
  std::thread thread_;     // guarded by mutex_: started once, joined by stop()
};

}  // namespace image_resize::tasks
