#pragma once
// Tells the WorkerRegistry every `interval` that this worker process is alive and what it did
// lately, so that the dashboard of any API process can show it; forgets it on a clean stop.
// A failed beat is logged and retried at the next interval: the dashboard then shows the worker
// as not alive, which is what an operator should see when its registry is unreachable.
// Thread safety: start() and stop() from one controlling thread.

#include <chrono>
#include <functional>
#include <string>

#include "core/worker_status.h"
#include "tasks/worker_registry.h"
#include "worker/periodic_thread.h"

namespace image_resize::worker {

class Heartbeat {
 public:
  using StatusSource = std::function<core::WorkerStatus()>;

  Heartbeat(tasks::WorkerRegistry& registry, StatusSource status,
            std::chrono::milliseconds interval);
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  // Beats once at once, then every interval on its own thread.
  void start();
  void stop();

 private:
  void beat();

  // Constant after construction.
  tasks::WorkerRegistry& registry_;
  const StatusSource status_;
  const std::chrono::milliseconds interval_;

  PeriodicThread thread_;
  std::string name_;  // of the last beat, to leave with; written by the beating thread only
};

}  // namespace image_resize::worker
