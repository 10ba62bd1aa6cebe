#include "http/handlers/task_lookup.h"

#include "core/log.h"

namespace image_resize::http {

core::Error task_not_found_error() {
  return core::Error::make(core::ErrorCode::task_not_found,
                           "No task with this id: it never existed, was deleted, or expired.");
}

bool visible_to(const ApiContext& ctx, const core::TaskRecord& task, const std::string& owner) {
  return !ctx.keys.api_keys()->enabled() || task.owner == owner;
}

boost::asio::awaitable<core::Result<core::TaskRecord>> find_live_task(ApiContext& ctx,
                                                                      std::string_view id_text,
                                                                      const std::string& owner,
                                                                      bool any_owner) {
  const auto id = core::TaskId::parse(id_text);
  if (!id) co_return task_not_found_error();
  // An if, not ?: g++ 12 miscompiles co_await inside a conditional expression (free() of an
  // invalid pointer, seen here).
  core::Result<std::optional<core::TaskRecord>> found{std::optional<core::TaskRecord>()};
  if (ctx.tasks.reads_in_place()) {
    found = ctx.tasks.get(*id);
  } else {
    // Assigned on the pool rather than returned through it: g++ 12 warns (maybe-uninitialized)
    // on moving this Result across co_spawn's optional.
    co_await ctx.blocking.run([&] {
      found = ctx.tasks.get(*id);
      return true;
    });
  }
  if (!found.ok()) {
    core::log::error("task store read failed",
                     {{"task_id", id->str()}, {"error", found.error().log_message()}});
    co_return core::Error::make(core::ErrorCode::backend_unavailable,
                                "The task store is unavailable; retry shortly.");
  }
  if (!found.value() || found.value()->expires_at <= core::now() ||
      !(any_owner || visible_to(ctx, *found.value(), owner))) {
    co_return task_not_found_error();
  }
  co_return std::move(*found.value());
}

}  // namespace image_resize::http
