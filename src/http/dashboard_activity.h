#pragma once
// The last minute of every alive worker, added up from their heartbeats: what the dashboard
// shows now and what its history samples every interval, computed in this one place.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/resize_spec.h"
#include "core/worker_status.h"

namespace image_resize::http {

// A worker whose last heartbeat is older than `alive_within` is taken for gone: shown as not
// alive, and left out of the totals.
bool is_alive(const core::WorkerStatus& worker, core::TimePoint now,
              std::chrono::milliseconds alive_within);

struct MergedActivity {
  int window_seconds = 60;  // the longest window of the workers merged
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  // Per core::activity_bucket_bounds(), then overflow.
  std::vector<std::uint64_t> processing_buckets{};
  std::array<std::vector<std::uint64_t>, 3> waiting_buckets{};  // by core::Priority

  double tasks_per_second() const;
  // nullopt when no task finished in the window.
  std::optional<double> processing_quantile(double q) const;
  // nullopt when no task of `priority` started in the window.
  std::optional<double> waiting_quantile(core::Priority priority, double q) const;
  std::uint64_t tasks_started(core::Priority priority) const;
};

MergedActivity merge_alive_activity(const std::vector<core::WorkerStatus>& workers,
                                    core::TimePoint now, std::chrono::milliseconds alive_within);

}  // namespace image_resize::http
