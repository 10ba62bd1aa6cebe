#include "http/dashboard_json.h"

#include <algorithm>

#include "metrics/quantile.h"

namespace image_resize::http {

using nlohmann::json;

namespace {

json optional_number(std::optional<double> value) { return value ? json(*value) : json(nullptr); }

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

json dashboard_json(const DashboardSources& sources) {
  const auto bounds = core::activity_bucket_bounds();
  std::vector<std::uint64_t> buckets(bounds.size() + 1);
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  int window_seconds = 60;
  json workers = json::array();
  for (const core::WorkerStatus& worker : sources.workers) {
    const bool alive = sources.now - worker.last_seen <= sources.alive_within;
    workers.push_back(worker_json(worker, alive));
    if (!alive) continue;
    window_seconds = std::max(window_seconds, worker.recent.seconds);
    succeeded += worker.recent.succeeded;
    failed += worker.recent.failed;
    const auto& counts = worker.recent.processing_buckets;
    for (std::size_t i = 0; i < std::min(counts.size(), buckets.size()); ++i)
      buckets[i] += counts[i];
  }

  json failures = json::array();
  for (const core::TaskRecord& task : sources.recent_failures)
    failures.push_back(failure_json(task));

  json webhooks = json::array();
  for (const core::TaskRecord& task : sources.failing_webhooks)
    webhooks.push_back(failing_webhook_json(task));

  const auto& depth = sources.depth.by_priority;
  return {
      {"generated_at", core::format_iso8601(sources.now)},
      {"queue", {{"high", depth[0]}, {"normal", depth[1]}, {"low", depth[2]}}},
      {"workers", std::move(workers)},
      {"throughput",
       {{"window_seconds", window_seconds},
        {"tasks_per_second",
         static_cast<double>(succeeded + failed) / static_cast<double>(window_seconds)},
        {"succeeded", succeeded},
        {"failed", failed}}},
      {"processing_seconds",
       {{"p50", optional_number(metrics::bucket_quantile(0.5, bounds, buckets))},
        {"p99", optional_number(metrics::bucket_quantile(0.99, bounds, buckets))}}},
      {"recent_failures", std::move(failures)},
      {"failing_webhooks", std::move(webhooks)},
  };
}

}  // namespace image_resize::http
