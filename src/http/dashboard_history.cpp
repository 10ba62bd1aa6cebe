#include "http/dashboard_history.h"

#include <algorithm>

#include "http/dashboard_activity.h"

namespace image_resize::http {

HistorySample history_sample(const tasks::QueueDepth& depth,
                             const std::vector<core::WorkerStatus>& workers, core::TimePoint now,
                             std::chrono::milliseconds alive_within) {
  const MergedActivity merged = merge_alive_activity(workers, now, alive_within);
  return {.at = now,
          .tasks_per_second = merged.tasks_per_second(),
          .queue = depth,
          .processing_p99_seconds = merged.processing_quantile(0.99)};
}

DashboardHistory::DashboardHistory(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {
  ring_.reserve(capacity_);
}

void DashboardHistory::add(const HistorySample& sample) {
  std::lock_guard lock(mutex_);
  if (ring_.size() < capacity_) {
    ring_.push_back(sample);
    return;
  }
  ring_[oldest_] = sample;
  oldest_ = (oldest_ + 1) % capacity_;
}

std::vector<HistorySample> DashboardHistory::samples() const {
  std::lock_guard lock(mutex_);
  std::vector<HistorySample> ordered(ring_.begin() + static_cast<std::ptrdiff_t>(oldest_),
                                     ring_.end());
  ordered.insert(ordered.end(), ring_.begin(),
                 ring_.begin() + static_cast<std::ptrdiff_t>(oldest_));
  return ordered;
}

}  // namespace image_resize::http
