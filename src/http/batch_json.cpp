#include "http/batch_json.h"

#include "http/task_json.h"

namespace image_resize::http {

using nlohmann::json;

namespace {

json entry_json(const core::BatchRecord& batch, const core::BatchEntry& entry) {
  return {{"task_id", entry.task_id.str()},
          {"file", batch.files[entry.file].name},
          {"variant", entry.variant},
          {"status_url", status_path(entry.task_id)},
          {"result_url", result_path(entry.task_id)}};
}

}  // namespace

std::string batch_path(const core::TaskId& id) { return "/api/v1/batches/" + id.str(); }
std::string batch_archive_path(const core::TaskId& id) { return batch_path(id) + "/archive"; }

json batch_accepted_json(const core::BatchRecord& batch) {
  json tasks = json::array();
  for (const core::BatchEntry& entry : batch.entries) tasks.push_back(entry_json(batch, entry));
  return {{"status", "accepted"},
          {"message", "Upload complete"},
          {"batch_id", batch.id.str()},
          {"batch_url", batch_path(batch.id)},
          {"archive_url", batch_archive_path(batch.id)},
          {"tasks", std::move(tasks)}};
}

bool batch_done(const BatchTasks& tasks) {
  for (const auto& task : tasks) {
    if (task && !core::is_terminal(task->state)) return false;
  }
  return true;
}

json batch_summary_json(const BatchTasks& tasks) {
  json summary = {{"PENDING", 0}, {"STARTED", 0}, {"SUCCESS", 0}, {"FAILURE", 0}, {"deleted", 0}};
  for (const auto& task : tasks) {
    const std::string state = task ? std::string(core::to_string(task->state)) : "deleted";
    summary[state] = summary[state].get<int>() + 1;
  }
  return summary;
}

json batch_status_json(const core::BatchRecord& batch, const BatchTasks& tasks) {
  json listed = json::array();
  for (std::size_t i = 0; i < batch.entries.size() && i < tasks.size(); ++i) {
    const auto& task = tasks[i];
    if (!task) continue;
    json item = task_status_json(*task);
    item["file"] = batch.files[batch.entries[i].file].name;
    item["variant"] = batch.entries[i].variant;
    listed.push_back(std::move(item));
  }
  return {{"batch_id", batch.id.str()},
          {"created_at", core::format_iso8601(batch.created_at)},
          {"expires_at", core::format_iso8601(batch.expires_at)},
          {"done", batch_done(tasks)},
          {"summary", batch_summary_json(tasks)},
          {"archive_url", batch_archive_path(batch.id)},
          {"tasks", std::move(listed)}};
}

}  // namespace image_resize::http
