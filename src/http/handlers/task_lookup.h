#pragma once
// Finds the task a route names: a malformed id, an unknown task and an expired one all read as
// task_not_found (404), so ids cannot be probed.

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "core/result.h"
#include "core/task.h"
#include "http/api_context.h"

namespace image_resize::http {

core::Error task_not_found_error();

// The task, if it exists, has not expired, and (with API keys on) belongs to `owner`: another
// key's task reads as not found. Store failures come back as backend_unavailable. `any_owner`:
// a signed link names this task, whoever made it.
boost::asio::awaitable<core::Result<core::TaskRecord>> find_live_task(ApiContext& ctx,
                                                                      std::string_view id_text,
                                                                      const std::string& owner,
                                                                      bool any_owner = false);
// Whether `owner` may see `task`.
bool visible_to(const ApiContext& ctx, const core::TaskRecord& task, const std::string& owner);

}  // namespace image_resize::http
