#pragma once
// The document of GET /api/v1/dashboard, which the page at /dashboard refreshes itself from:
// queue depth by priority, every worker with whether it is alive, and over the last minute the
// tasks per second, succeeded and failed counts, p50/p99 processing time and p50/p99 queue wait
// by priority, merged across the alive workers' heartbeats; the last 15 minutes' samples; the
// latest failures with their reasons; the webhooks that failed or whose last attempt did; the
// latest batches with how far their tasks got; and whether the caller may steer the workers.

#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/batch.h"
#include "core/task.h"
#include "core/worker_status.h"
#include "http/batch_json.h"
#include "http/dashboard_history.h"
#include "tasks/task_queue.h"

namespace image_resize::http {

// A recent batch and the tasks the dashboard read of it: its first tasks.size() entries, in
// order (all of them unless a poll's budget of task reads ran out first).
struct DashboardBatch {
  core::BatchRecord record;
  BatchTasks tasks;
};

struct DashboardSources {
  tasks::QueueDepth depth;
  std::vector<core::WorkerStatus> workers;
  std::vector<core::TaskRecord> recent_failures;
  std::vector<core::TaskRecord> failing_webhooks;
  core::TimePoint now;
  // A worker whose last heartbeat is older than this is shown as not alive, and its activity
  // is left out of the totals.
  std::chrono::milliseconds alive_within;
  std::vector<HistorySample> history{};   // oldest first
  std::vector<DashboardBatch> batches{};  // newest first
  // The caller may use the operator routes (Caller::admin): the page shows its controls.
  bool operator_controls = false;
};

nlohmann::json dashboard_json(const DashboardSources& sources);
// One worker as the dashboard and GET /api/v1/workers show it.
nlohmann::json worker_json(const core::WorkerStatus& worker, bool alive);
// One batch of the dashboard's "batches": its size, the states of the tasks read ("counted" of
// "tasks"), and done once every task was read and each still there has ended.
nlohmann::json dashboard_batch_json(const DashboardBatch& batch);

}  // namespace image_resize::http
