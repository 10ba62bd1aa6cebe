#include "tasks/worker_status_json.h"

#include <nlohmann/json.hpp>

#include "core/resize_spec.h"

namespace image_resize::tasks {
namespace {

// {"high": [...], "normal": [...], "low": [...]}: a priority's buckets, empty when none started.
nlohmann::json waiting_json(const core::ActivityWindow& window) {
  nlohmann::json json = nlohmann::json::object();
  for (const core::Priority priority : core::kAllPriorities) {
    json[std::string(core::to_string(priority))] =
        window.waiting_buckets[static_cast<std::size_t>(priority)];
  }
  return json;
}

// Written by every build since the dashboard showed queue waits; older ones beat without them.
void read_waiting(const nlohmann::json& json, core::ActivityWindow& window) {
  const auto found = json.find("waiting_buckets");
  if (found == json.end()) return;
  for (const core::Priority priority : core::kAllPriorities) {
    window.waiting_buckets[static_cast<std::size_t>(priority)] =
        found->value(std::string(core::to_string(priority)), std::vector<std::uint64_t>{});
  }
}

}  // namespace

std::string worker_status_to_json(const core::WorkerStatus& status) {
  const nlohmann::json json = {
      {"name", status.name},
      {"threads", status.threads},
      {"max_threads", status.max_threads},
      {"paused", status.paused},
      {"busy", status.busy},
      {"started_at", core::to_unix_ms(status.started_at)},
      {"last_seen", core::to_unix_ms(status.last_seen)},
      {"window_seconds", status.recent.seconds},
      {"succeeded", status.recent.succeeded},
      {"failed", status.recent.failed},
      {"processing_buckets", status.recent.processing_buckets},
      {"waiting_buckets", waiting_json(status.recent)},
  };
  return json.dump();
}

core::Result<core::WorkerStatus> worker_status_from_json(std::string_view text) {
  try {
    const auto json = nlohmann::json::parse(text);
    core::WorkerStatus status;
    status.name = json.at("name").get<std::string>();
    status.threads = json.at("threads").get<int>();
    // Written by every build since operators could steer workers; older ones beat without them.
    status.max_threads = json.value("max_threads", status.threads);
    status.paused = json.value("paused", false);
    status.busy = json.at("busy").get<int>();
    status.started_at = core::from_unix_ms(json.at("started_at").get<std::int64_t>());
    status.last_seen = core::from_unix_ms(json.at("last_seen").get<std::int64_t>());
    status.recent.seconds = json.at("window_seconds").get<int>();
    status.recent.succeeded = json.at("succeeded").get<std::uint64_t>();
    status.recent.failed = json.at("failed").get<std::uint64_t>();
    status.recent.processing_buckets =
        json.at("processing_buckets").get<std::vector<std::uint64_t>>();
    read_waiting(json, status.recent);
    return status;
  } catch (const nlohmann::json::exception& e) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             std::string("worker registry: unreadable status: ") + e.what());
  }
}

}  // namespace image_resize::tasks
