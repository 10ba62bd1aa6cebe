// GET /api/v1/batches/<id>[?wait=N]: every task of a batch and a summary; with wait, held until
// every task has ended or N seconds pass. DELETE: the batch's tasks, results and inputs.
#include <boost/asio/this_coro.hpp>

#include "core/log.h"
#include "http/batch_json.h"
#include "http/forms/wait.h"
#include "http/handlers/batch_lookup.h"
#include "http/handlers/handlers.h"
#include "lifecycle/task_blobs.h"

namespace image_resize::http {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

// As the status route: a waiting request re-reads the store this often without a wake-up.
constexpr std::chrono::milliseconds kRecheckInterval{1000};

const core::TaskRecord* first_unfinished(
    const std::vector<std::optional<core::TaskRecord>>& tasks) {
  for (const auto& task : tasks) {
    if (task && !core::is_terminal(task->state)) return &*task;
  }
  return nullptr;
}

// Waits for one unfinished task after another until all have ended or the deadline passes.
asio::awaitable<core::Result<BatchTasks>> wait_for_batch(ApiContext& ctx,
                                                         const core::BatchRecord& batch,
                                                         BatchTasks tasks,
                                                         steady_clock::time_point deadline) {
  while (steady_clock::now() < deadline && !ctx.waiters.stopping()) {
    const core::TaskRecord* unfinished = first_unfinished(tasks);
    if (unfinished == nullptr) break;
    const core::TaskId id = unfinished->id;
    auto waiter = ctx.waiters.subscribe(id, co_await asio::this_coro::executor);
    // Read again after subscribing: a finish between the last read and now is not missed.
    auto again = co_await read_batch_tasks(ctx, batch);
    if (again.ok() && first_unfinished(*again) != nullptr && again->size() == tasks.size()) {
      co_await ctx.waiters.wait(waiter, std::min(deadline, steady_clock::now() + kRecheckInterval));
      again = co_await read_batch_tasks(ctx, batch);
    }
    ctx.waiters.unsubscribe(id, waiter);
    if (!again.ok()) co_return again.error();
    tasks = std::move(again).value();
  }
  co_return tasks;
}

}  // namespace

asio::awaitable<Response> handle_batch_status(ApiContext& ctx, const Request& request,
                                              const RouteMatch& route, const Caller& caller) {
  const auto wait = wait_of_target(request.target(), ctx.http.max_wait_seconds);
  if (!wait.ok()) co_return error_response(wait.error());
  auto batch = co_await find_live_batch(ctx, route.id, caller.owner);
  if (!batch.ok()) co_return error_response(batch.error());
  auto tasks = co_await read_batch_tasks(ctx, *batch);
  if (tasks.ok() && wait->count() > 0 && !batch_done(*tasks)) {
    tasks =
        co_await wait_for_batch(ctx, *batch, std::move(tasks).value(), steady_clock::now() + *wait);
  }
  if (!tasks.ok()) co_return error_response(tasks.error());
  co_return json_response(boost::beast::http::status::ok, batch_status_json(*batch, *tasks));
}

asio::awaitable<Response> handle_batch_delete(ApiContext& ctx, const RouteMatch& route,
                                              const Caller& caller) {
  auto batch = co_await find_live_batch(ctx, route.id, caller.owner);
  if (!batch.ok()) co_return error_response(batch.error());
  auto removed = co_await ctx.blocking.run([&]() -> core::Status {
    for (const core::BatchEntry& entry : batch->entries) {
      auto task = ctx.tasks.get(entry.task_id);
      if (!task.ok()) return task.error();
      if (!*task) continue;
      if (auto gone = lifecycle::remove_task(ctx.tasks, ctx.blobs, **task); !gone.ok()) {
        return gone.error();
      }
    }
    if (auto gone = ctx.tasks.remove_batch(*batch); !gone.ok()) return gone.error();
    lifecycle::remove_batch_inputs(ctx.blobs, *batch);
    return {};
  });
  if (!removed.ok()) {
    core::log::error("batch removal failed",
                     {{"batch_id", batch->id.str()}, {"error", removed.error().log_message()}});
    co_return error_response(core::Error::make(core::ErrorCode::backend_unavailable,
                                               "The task store is unavailable; retry shortly."));
  }
  core::log::info("batch deleted", {{"batch_id", batch->id.str()},
                                    {"tasks", std::to_string(batch->entries.size())}});
  co_return Response{boost::beast::http::status::no_content, 11};
}

}  // namespace image_resize::http
