#pragma once
// Finds the batch a route names, and its tasks: as for tasks (task_lookup.h), a malformed id,
// an unknown batch, an expired one and another key's all read as batch_not_found (404).

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "core/result.h"
#include "core/task.h"
#include "http/api_context.h"
#include "http/batch_json.h"

namespace image_resize::http {

boost::asio::awaitable<core::Result<core::BatchRecord>> find_live_batch(ApiContext& ctx,
                                                                        std::string_view id_text,
                                                                        const std::string& owner);
boost::asio::awaitable<core::Result<BatchTasks>> read_batch_tasks(ApiContext& ctx,
                                                                  const core::BatchRecord& batch);

}  // namespace image_resize::http
