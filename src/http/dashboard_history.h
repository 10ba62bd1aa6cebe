#pragma once
// The dashboard's last 15 minutes: a sample every 10 s of the merged throughput, the queue
// depth and the p99 processing time, kept in this API process's memory in a fixed-size ring,
// so that a page opened or reloaded shows the recent past at once. Each API process samples on
// its own (app/ runs the sampler), so behind a load balancer each answers its own history of
// the same shared figures.
// Thread safety: every method from any thread at once.

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/worker_status.h"
#include "tasks/task_queue.h"

namespace image_resize::http {

struct HistorySample {
  core::TimePoint at{};
  double tasks_per_second = 0;  // over the last minute, as the dashboard shows it
  tasks::QueueDepth queue{};
  std::optional<double> processing_p99_seconds;  // nullopt when nothing finished
};

// What the dashboard would show at `now`, reduced to a sample.
HistorySample history_sample(const tasks::QueueDepth& depth,
                             const std::vector<core::WorkerStatus>& workers, core::TimePoint now,
                             std::chrono::milliseconds alive_within);

class DashboardHistory {
 public:
  static constexpr std::chrono::seconds kInterval{10};
  static constexpr std::size_t kCapacity = 90;  // 15 minutes of kInterval

  explicit DashboardHistory(std::size_t capacity = kCapacity);

  // Past capacity, the oldest sample makes room.
  void add(const HistorySample& sample);
  // Oldest first.
  std::vector<HistorySample> samples() const;

 private:
  const std::size_t capacity_;  // constant after construction
  mutable std::mutex mutex_;
  std::vector<HistorySample> ring_;  // guarded by mutex_; grows to capacity_, then wraps
  std::size_t oldest_ = 0;           // guarded by mutex_; where the next sample goes once full
};

}  // namespace image_resize::http
