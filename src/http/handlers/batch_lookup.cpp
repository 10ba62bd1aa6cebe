#include "http/handlers/batch_lookup.h"

#include "core/log.h"

namespace image_resize::http {
namespace {

core::Error batch_not_found_error() {
  return core::Error::make(core::ErrorCode::batch_not_found,
                           "No batch with this id: it never existed, was deleted, or expired.");
}

core::Error store_read_failed(const core::TaskId& batch, const core::Error& error) {
  core::log::error("task store read failed",
                   {{"batch_id", batch.str()}, {"error", error.log_message()}});
  return core::Error::make(core::ErrorCode::backend_unavailable,
                           "The task store is unavailable; retry shortly.");
}

}  // namespace

boost::asio::awaitable<core::Result<core::BatchRecord>> find_live_batch(ApiContext& ctx,
                                                                        std::string_view id_text,
                                                                        const std::string& owner) {
  const auto id = core::TaskId::parse(id_text);
  if (!id) co_return batch_not_found_error();
  // Assigned on the pool rather than returned through it (see find_live_task).
  core::Result<std::optional<core::BatchRecord>> found{std::optional<core::BatchRecord>()};
  co_await ctx.blocking.run([&] {
    found = ctx.tasks.get_batch(*id);
    return true;
  });
  if (!found.ok()) co_return store_read_failed(*id, found.error());
  const bool visible = !ctx.keys.api_keys()->enabled() || (*found && (*found)->owner == owner);
  if (!*found || (*found)->expires_at <= core::now() || !visible) {
    co_return batch_not_found_error();
  }
  co_return std::move(**found);
}

boost::asio::awaitable<core::Result<BatchTasks>> read_batch_tasks(ApiContext& ctx,
                                                                  const core::BatchRecord& batch) {
  core::Result<BatchTasks> tasks{BatchTasks()};
  co_await ctx.blocking.run([&] {
    BatchTasks read;
    for (const core::BatchEntry& entry : batch.entries) {
      auto task = ctx.tasks.get(entry.task_id);
      if (!task.ok()) {
        tasks = task.error();
        return true;
      }
      read.push_back(std::move(task).value());
    }
    tasks = std::move(read);
    return true;
  });
  if (!tasks.ok()) co_return store_read_failed(batch.id, tasks.error());
  co_return tasks;
}

}  // namespace image_resize::http
