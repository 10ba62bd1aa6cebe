#include "http/dashboard_activity.h"

#include <algorithm>
#include <numeric>

#include "metrics/quantile.h"

namespace image_resize::http {
namespace {

std::optional<double> quantile(double q, const std::vector<std::uint64_t>& buckets) {
  return metrics::bucket_quantile(q, core::activity_bucket_bounds(), buckets);
}

}  // namespace

bool is_alive(const core::WorkerStatus& worker, core::TimePoint now,
              std::chrono::milliseconds alive_within) {
  return now - worker.last_seen <= alive_within;
}

double MergedActivity::tasks_per_second() const {
  return static_cast<double>(succeeded + failed) / static_cast<double>(window_seconds);
}

std::optional<double> MergedActivity::processing_quantile(double q) const {
  return quantile(q, processing_buckets);
}

std::optional<double> MergedActivity::waiting_quantile(core::Priority priority, double q) const {
  return quantile(q, waiting_buckets[static_cast<std::size_t>(priority)]);
}

std::uint64_t MergedActivity::tasks_started(core::Priority priority) const {
  const auto& buckets = waiting_buckets[static_cast<std::size_t>(priority)];
  return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

MergedActivity merge_alive_activity(const std::vector<core::WorkerStatus>& workers,
                                    core::TimePoint now, std::chrono::milliseconds alive_within) {
  const std::size_t bucket_count = core::activity_bucket_bounds().size() + 1;
  MergedActivity merged;
  merged.processing_buckets.resize(bucket_count);
  for (auto& buckets : merged.waiting_buckets) buckets.resize(bucket_count);
  for (const core::WorkerStatus& worker : workers) {
    if (!is_alive(worker, now, alive_within)) continue;
    merged.window_seconds = std::max(merged.window_seconds, worker.recent.seconds);
    merged.succeeded += worker.recent.succeeded;
    merged.failed += worker.recent.failed;
    core::add_bucket_counts(merged.processing_buckets, worker.recent.processing_buckets);
    for (std::size_t p = 0; p < merged.waiting_buckets.size(); ++p) {
      core::add_bucket_counts(merged.waiting_buckets[p], worker.recent.waiting_buckets[p]);
    }
  }
  return merged;
}

}  // namespace image_resize::http
