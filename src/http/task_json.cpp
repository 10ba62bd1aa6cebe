#include "http/task_json.h"

namespace image_resize::http {

using nlohmann::json;

namespace {

json optional_time(const std::optional<core::TimePoint>& time) {
  return time ? json(core::format_iso8601(*time)) : json(nullptr);
}

json optional_int(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

json request_json(const core::TaskRecord& task) {
  const core::ResizeSpec& spec = task.spec;
  json request = {
      {"width", optional_int(spec.width)},
      {"height", optional_int(spec.height)},
      {"fit", core::to_string(spec.fit)},
      {"format", core::to_string(spec.format)},
      {"quality", spec.quality},
      {"background", spec.background ? json(core::format_rgba(*spec.background)) : json(nullptr)},
      {"priority", core::to_string(spec.priority)},
      {"gravity", core::to_string(spec.gravity)},
      {"dpr", spec.dpr},
      {"progressive", spec.progressive},
      {"lossless", spec.lossless},
      {"strip", spec.strip},
      {"crop", spec.crop ? json(core::to_string(*spec.crop)) : json(nullptr)}};
  // What the upload's Accept header allowed, for format=auto.
  if (spec.format == core::OutputFormat::automatic) {
    json accepts = json::array();
    if (spec.accepts.avif) accepts.push_back("avif");
    if (spec.accepts.webp) accepts.push_back("webp");
    request["accepts"] = accepts;
  }
  if (!task.source_url.empty()) request["url"] = task.source_url;
  if (!task.callback_url.empty()) request["callback_url"] = task.callback_url;
  return request;
}

// Until the task ends its webhook waits, as pending with no attempt.
json webhook_json(const core::TaskRecord& task) {
  const core::WebhookDelivery delivery = task.webhook.value_or(core::WebhookDelivery{});
  return {{"state", core::to_string(delivery.state)},
          {"attempts", delivery.attempts},
          {"last_status", delivery.last_status > 0 ? json(delivery.last_status) : json(nullptr)}};
}

}  // namespace

std::string status_path(const core::TaskId& id) { return "/api/v1/status/" + id.str(); }
std::string result_path(const core::TaskId& id) { return "/api/v1/images/result/" + id.str(); }

json accepted_json(const core::TaskId& id) {
  return {{"status", "accepted"},
          {"message", "Upload complete"},
          {"task_id", id.str()},
          {"status_url", status_path(id)},
          {"result_url", result_path(id)}};
}

json task_status_json(const core::TaskRecord& task, std::string_view result_url) {
  json body = {{"task_id", task.id.str()},
               {"status", core::to_string(task.state)},
               {"created_at", core::format_iso8601(task.created_at)},
               {"started_at", optional_time(task.started_at)},
               {"finished_at", optional_time(task.finished_at)},
               {"expires_at", core::format_iso8601(task.expires_at)},
               {"attempts", task.attempts},
               {"request", request_json(task)}};
  if (task.state == core::TaskState::success && task.output) {
    body["result"] = {{"width", task.output->width},
                      {"height", task.output->height},
                      {"format", core::to_string(task.output->format)},
                      {"bytes", task.output->bytes},
                      {"url", result_url.empty() ? result_path(task.id) : std::string(result_url)}};
    if (!task.output->blurhash.empty()) {
      body["result"]["placeholder"] = {{"blurhash", task.output->blurhash},
                                       {"dominant_color", task.output->dominant_colour}};
    }
  }
  if (task.state == core::TaskState::failure && task.failure) {
    body["error"] = {{"code", core::to_string(task.failure->code)},
                     {"message", task.failure->message}};
    if (task.failure->source_status > 0) {
      body["error"]["source_status"] = task.failure->source_status;
    }
  }
  if (!task.callback_url.empty()) body["webhook"] = webhook_json(task);
  if (task.batch_id) {
    body["batch_id"] = task.batch_id->str();
    body["variant"] = task.variant;
  }
  return body;
}

}  // namespace image_resize::http
