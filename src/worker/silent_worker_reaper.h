#pragma once
// Hands out again, every heartbeat interval, the tasks held by worker processes whose heartbeats
// stopped (core::silent_after), so that a dead worker delays its tasks by seconds rather than by
// a lease, and drops their consumers from the queue. Every worker process runs one: any live
// worker notices a dead one.
// Thread safety: start() and stop() from one controlling thread.

#include <chrono>

#include "metrics/registry.h"
#include "tasks/task_queue.h"
#include "worker/periodic_thread.h"

namespace image_resize::worker {

class SilentWorkerReaper {
 public:
  SilentWorkerReaper(tasks::TaskQueue& queue, std::chrono::milliseconds heartbeat_interval);
  void start();
  void stop() { thread_.stop(); }

 private:
  void reap();

  // Constant after construction.
  tasks::TaskQueue& queue_;
  const std::chrono::milliseconds heartbeat_interval_;

  PeriodicThread thread_;
};

}  // namespace image_resize::worker
