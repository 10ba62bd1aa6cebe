#pragma once
// The JSON shapes of docs/API.md for batches: the 202 body of an upload that made one, and the
// batch document of GET /api/v1/batches/{id}.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/task.h"

namespace image_resize::http {

// A batch's tasks in the order of its entries; nullopt for one deleted on its own since.
using BatchTasks = std::vector<std::optional<core::TaskRecord>>;

std::string batch_path(const core::TaskId& id);          // "/api/v1/batches/<id>"
std::string batch_archive_path(const core::TaskId& id);  // "/api/v1/batches/<id>/archive"

nlohmann::json batch_accepted_json(const core::BatchRecord& batch);
nlohmann::json batch_status_json(const core::BatchRecord& batch, const BatchTasks& tasks);
// Whether every task still there has ended.
bool batch_done(const BatchTasks& tasks);
// {"PENDING": n, "STARTED": n, "SUCCESS": n, "FAILURE": n, "deleted": n} over `tasks`.
nlohmann::json batch_summary_json(const BatchTasks& tasks);

}  // namespace image_resize::http
