#pragma once
// What a worker process says about itself in its heartbeat, for the dashboard: who it is, how
// busy it is, and what it did in the last minute (counts and histograms of processing times and
// of queue waits by priority, which the dashboard merges across processes into p50/p99).

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"

namespace image_resize::core {

// Upper bounds (seconds) of the processing-time buckets of every ActivityWindow: 1 ms to about
// 2 min in steps of 25%, so a percentile read from merged buckets is within ~12% of the truth.
std::span<const double> activity_bucket_bounds();
// Adds `counts` (per activity_bucket_bounds()) to `into`, sized like `counts` first when empty.
// Buckets of another build may differ in length: the common ones count.
void add_bucket_counts(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& counts);

struct ActivityWindow {
  int seconds = 60;  // how far back the window reaches
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  // Tasks per bucket of activity_bucket_bounds(), then one for longer ones: one more element
  // than there are bounds. Empty when nothing finished in the window.
  std::vector<std::uint64_t> processing_buckets;
  // The queue waits (upload to first start) of the tasks started in the window, one histogram
  // per priority, indexed by core::Priority (high, normal, low), over the same bounds; each is
  // empty when no task of its priority started.
  std::array<std::vector<std::uint64_t>, 3> waiting_buckets{};

  bool operator==(const ActivityWindow&) const = default;
};

// A worker process silent for this long (three missed heartbeats, and a second of slack for a
// busy registry) is taken for dead: the dashboard shows it gone, and its tasks are handed out
// again.
constexpr std::chrono::milliseconds silent_after(std::chrono::milliseconds heartbeat_interval) {
  return 3 * heartbeat_interval + std::chrono::seconds(1);
}

struct WorkerStatus {
  std::string name;  // the consumer name: hostname-pid
  int threads = 0;   // resize slots now: the concurrency an operator may change at run time
  // The most an operator may set on this worker: its cores × 2.
  int max_threads = 0;
  // Paused by an operator: it leases nothing new, finishes what it holds, and still beats.
  bool paused = false;
  int busy = 0;
  TimePoint started_at;
  TimePoint last_seen;
  ActivityWindow recent;

  bool operator==(const WorkerStatus&) const = default;
};

}  // namespace image_resize::core
