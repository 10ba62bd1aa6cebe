#include "http/dashboard_json.h"

#include <algorithm>

#include "http/dashboard_activity.h"

namespace image_resize::http {

using nlohmann::json;

namespace {

json optional_number(std::optional<double> value) { return value ? json(*value) : json(nullptr); }

// {"high": n, "normal": n, "low": n}
json by_priority(const tasks::QueueDepth& depth) {
  json counts = json::object();
  for (const core::Priority priority : core::kAllPriorities) {
    counts[std::string(core::to_string(priority))] =
        depth.by_priority[static_cast<std::size_t>(priority)];
  }
  return counts;
}

json waiting_json(const MergedActivity& merged) {
  json waiting = json::object();
  for (const core::Priority priority : core::kAllPriorities) {
    waiting[std::string(core::to_string(priority))] = {
        {"p50", optional_number(merged.waiting_quantile(priority, 0.5))},
        {"p99", optional_number(merged.waiting_quantile(priority, 0.99))},
        {"tasks", merged.tasks_started(priority)}};
  }
  return waiting;
}

json history_json(const std::vector<HistorySample>& history) {
  json samples = json::array();
  for (const HistorySample& sample : history) {
    samples.push_back({{"at", core::format_iso8601(sample.at)},
                       {"tasks_per_second", sample.tasks_per_second},
                       {"queue_depth", sample.queue.total()},
                       {"queue", by_priority(sample.queue)},
                       {"processing_p99_seconds", optional_number(sample.processing_p99_seconds)}});
  }
  return {{"interval_seconds", DashboardHistory::kInterval.count()},
          {"samples", std::move(samples)}};
}

json failure_json(const core::TaskRecord& task) {
  json failure = {{"task_id", task.id.str()},
                  {"finished_at", task.finished_at ? json(core::format_iso8601(*task.finished_at))
                                                   : json(nullptr)}};
  failure["code"] = task.failure ? std::string(core::to_string(task.failure->code)) : "internal";
  failure["message"] = task.failure ? task.failure->message : "";
  return failure;
}

// The receiver's host only: a callback_url's path and query may hold the client's tokens.
std::string host_of(std::string_view url) {
  const auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

json failing_webhook_json(const core::TaskRecord& task) {
  const core::WebhookDelivery delivery = task.webhook.value_or(core::WebhookDelivery{});
  return {{"task_id", task.id.str()},
          {"host", host_of(task.callback_url)},
          {"state", core::to_string(delivery.state)},
          {"attempts", delivery.attempts},
          {"last_status", delivery.last_status > 0 ? json(delivery.last_status) : json(nullptr)}};
}

}  // namespace

json worker_json(const core::WorkerStatus& worker, bool alive) {
  return {{"name", worker.name},
          {"threads", worker.threads},
          {"max_threads", worker.max_threads},
          {"paused", worker.paused},
          {"busy", worker.busy},
          {"alive", alive},
          {"started_at", core::format_iso8601(worker.started_at)},
          {"last_seen", core::format_iso8601(worker.last_seen)}};
}

json dashboard_batch_json(const DashboardBatch& batch) {
  const core::BatchRecord& record = batch.record;
  const bool all_read = batch.tasks.size() >= record.entries.size();
  return {{"batch_id", record.id.str()},
          {"batch_url", batch_path(record.id)},
          {"created_at", core::format_iso8601(record.created_at)},
          {"files", record.files.size()},
          {"tasks", record.entries.size()},
          {"counted", std::min(batch.tasks.size(), record.entries.size())},
          {"summary", batch_summary_json(batch.tasks)},
          {"done", all_read && batch_done(batch.tasks)}};
}

json dashboard_json(const DashboardSources& sources) {
  json workers = json::array();
  for (const core::WorkerStatus& worker : sources.workers) {
    workers.push_back(worker_json(worker, is_alive(worker, sources.now, sources.alive_within)));
  }
  const MergedActivity merged =
      merge_alive_activity(sources.workers, sources.now, sources.alive_within);

  json failures = json::array();
  for (const core::TaskRecord& task : sources.recent_failures)
    failures.push_back(failure_json(task));

  json webhooks = json::array();
  for (const core::TaskRecord& task : sources.failing_webhooks)
    webhooks.push_back(failing_webhook_json(task));

  json batches = json::array();
  for (const DashboardBatch& batch : sources.batches)
    batches.push_back(dashboard_batch_json(batch));

  return {
      {"generated_at", core::format_iso8601(sources.now)},
      {"operator", sources.operator_controls},
      {"queue", by_priority(sources.depth)},
      {"workers", std::move(workers)},
      {"throughput",
       {{"window_seconds", merged.window_seconds},
        {"tasks_per_second", merged.tasks_per_second()},
        {"succeeded", merged.succeeded},
        {"failed", merged.failed}}},
      {"processing_seconds",
       {{"p50", optional_number(merged.processing_quantile(0.5))},
        {"p99", optional_number(merged.processing_quantile(0.99))}}},
      {"waiting_seconds", waiting_json(merged)},
      {"history", history_json(sources.history)},
      {"recent_failures", std::move(failures)},
      {"failing_webhooks", std::move(webhooks)},
      {"batches", std::move(batches)},
  };
}

}  // namespace image_resize::http
