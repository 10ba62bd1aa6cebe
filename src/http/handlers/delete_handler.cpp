// DELETE /api/v1/tasks/<uuid>: removes the task (cancelling it if PENDING), its input and result.
#include "core/log.h"
#include "http/handlers/handlers.h"
#include "http/handlers/task_lookup.h"

namespace image_resize::http {

namespace asio = boost::asio;

asio::awaitable<Response> handle_delete(ApiContext& ctx, const RouteMatch& route,
                                        const Caller& caller) {
  const auto id = core::TaskId::parse(route.id);
  if (!id) co_return error_response(task_not_found_error());

  auto removed = co_await ctx.blocking.run([&]() -> core::Result<bool> {
    if (ctx.keys.api_keys()
            ->enabled()) {  // another key's task is not there, as far as this caller knows
      auto task = ctx.tasks.get(*id);
      if (!task.ok()) return task.error();
      if (!*task || !visible_to(ctx, **task, caller.owner)) return false;
    }
    auto existed = ctx.tasks.remove(*id);
    if (!existed.ok() || !*existed) return existed;
    // The task row is gone first, so a worker finishing it now records nothing; blobs after.
    for (auto kind : {storage::BlobKind::input, storage::BlobKind::result}) {
      if (auto status = ctx.blobs.remove(kind, *id); !status.ok()) {
        core::log::warn("blob removal failed",
                        {{"task_id", id->str()}, {"error", status.error().log_message()}});
      }
    }
    return true;
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
