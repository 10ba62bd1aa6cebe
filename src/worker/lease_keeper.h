#pragma once
// Keeps the leases of the tasks this process is running: renews each one every third of the
// queue's lease duration, so that a task that runs longer than the lease stays with its worker
// while the worker lives, and the lease can be short enough to hand a stuck worker's task to
// another within seconds. A lease is lost when a renewal finds it taken (it expired and another
// worker leased the task), or when no renewal got through for a whole lease duration (the store
// was unreachable, or this process was stopped): its holder must then drop the task's result.
// Thread safety: hold(), drop(), still_held() and take_all() from any thread; start() and stop()
// from one controlling thread.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/registry.h"
#include "tasks/task_queue.h"
#include "worker/periodic_thread.h"

namespace image_resize::worker {

class LeaseKeeper {
 public:
  LeaseKeeper(tasks::TaskQueue& queue, metrics::Registry& metrics);
  ~LeaseKeeper() { stop(); }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  void start();
  void stop();

  // Renew `lease` from now until drop(). Call right after leasing.
  void hold(const tasks::Lease& lease);
  void drop(const tasks::Lease& lease);
  // The lease is still this process's: neither taken by another worker nor left unrenewed for
  // a lease duration.
  bool still_held(const tasks::Lease& lease) const;
  // Stops renewing every lease held and returns them, each marked lost (for shutdown, which
  // hands them back).
  std::vector<tasks::Lease> take_all();

 private:
  using Clock = std::chrono::steady_clock;
  struct Held {
    tasks::Lease lease;
    Clock::time_point renewed_at;
    bool lost = false;
  };
  void renew_all();
  void record_renewal(const std::string& token, const core::Result<bool>& renewed);

  // Constant after construction.
  tasks::TaskQueue& queue_;
  metrics::Registry& metrics_;
  const std::chrono::milliseconds lease_duration_;

  mutable std::mutex mutex_;
  std::map<std::string, Held> held_;  // guarded by mutex_; by lease token
  PeriodicThread renewer_;
};

}  // namespace image_resize::worker
