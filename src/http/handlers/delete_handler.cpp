// DELETE /api/v1/tasks/<uuid>: removes the task (cancelling it if PENDING), its input and result.
#include "core/log.h"
#include "http/handlers/handlers.h"
#include "http/handlers/task_lookup.h"
#include "lifecycle/task_blobs.h"

namespace image_resize::http {

namespace asio = boost::asio;

asio::awaitable<Response> handle_delete(ApiContext& ctx, const RouteMatch& route,
                                        const Caller& caller) {
  const auto id = core::TaskId::parse(route.id);
  if (!id) co_return error_response(task_not_found_error());

  auto removed = co_await ctx.blocking.run([&]() -> core::Result<bool> {
    auto task = ctx.tasks.get(*id);
    if (!task.ok()) return task.error();
    // Another key's task is not there, as far as this caller knows.
    if (!*task || !visible_to(ctx, **task, caller.owner)) return false;
    return lifecycle::remove_task(ctx.tasks, ctx.blobs, **task);
  });
  if (!removed.ok()) {
    core::log::error("task removal failed",
                     {{"task_id", id->str()}, {"error", removed.error().log_message()}});
    co_return error_response(core::Error::make(core::ErrorCode::backend_unavailable,
                                               "The task store is unavailable; retry shortly."));
  }
  if (!*removed) co_return error_response(task_not_found_error());
  core::log::info("task deleted", {{"task_id", id->str()}});
  Response response{boost::beast::http::status::no_content, 11};
  co_return response;
}

}  // namespace image_resize::http
