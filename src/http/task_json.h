#pragma once
// The JSON shapes of docs/API.md for tasks: the 202 body of an upload and the status document.

#include <nlohmann/json.hpp>
#include <string>

#include "core/task.h"

namespace image_resize::http {

std::string status_path(const core::TaskId& id);  // "/api/v1/status/<id>"
std::string result_path(const core::TaskId& id);  // "/api/v1/images/result/<id>"

nlohmann::json accepted_json(const core::TaskId& id);
// `result_url`: the result's URL to show (a signed link); empty: result_path(task.id).
nlohmann::json task_status_json(const core::TaskRecord& task, std::string_view result_url = {});

}  // namespace image_resize::http
