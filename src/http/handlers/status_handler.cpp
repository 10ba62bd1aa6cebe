// GET /api/v1/status/<uuid>[?wait=N]: the task's state; with wait, held (on a timer, no thread)
// until the task is terminal or N seconds pass.
#include <algorithm>
#include <boost/asio/this_coro.hpp>

#include "http/forms/wait.h"
#include "http/handlers/handlers.h"
#include "http/handlers/task_lookup.h"
#include "http/task_json.h"

namespace image_resize::http {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {
// A waiting request re-reads the store this often even without a wake-up, so that a task
// finished by a worker in another process is seen without a notification channel.
constexpr std::chrono::milliseconds kRecheckInterval{1000};
// The result's path with a signature valid for --signed-url-expiry, rounded up to the minute
// (so that polls within a minute get one URL, which browsers and CDNs cache as one).
std::string signed_result_url(const ApiContext& ctx, const core::TaskId& id) {
  constexpr std::int64_t kMinute = 60;
  const std::int64_t now = core::to_unix_ms(core::now()) / 1000;
  const std::int64_t expires =
      (now + ctx.http.signed_url_expiry.count() + kMinute - 1) / kMinute * kMinute;
  const std::string path = result_path(id);
  return path + "?" + ctx.keys.url_signer()->query_for(path, expires);
}

}  // namespace

asio::awaitable<Response> handle_status(ApiContext& ctx, const Request& request,
                                        const RouteMatch& route, const Caller& caller) {
  const auto wait = wait_of_target(request.target(), ctx.http.max_wait_seconds);
  if (!wait.ok()) co_return error_response(wait.error());
  const auto wait_seconds = wait->count();

  auto task = co_await find_live_task(ctx, route.id, caller.owner);
  if (!task.ok()) co_return error_response(task.error());

  if (wait_seconds > 0 && !core::is_terminal(task->state)) {
    const auto deadline = steady_clock::now() + *wait;
    const core::TaskId id = task->id;
    auto waiter = ctx.waiters.subscribe(id, co_await asio::this_coro::executor);
    // Read again after subscribing: a finish between the first read and now is not missed.
    task = co_await find_live_task(ctx, route.id, caller.owner);
    while (task.ok() && !core::is_terminal(task->state) && steady_clock::now() < deadline &&
           !ctx.waiters.stopping()) {
      co_await ctx.waiters.wait(waiter, std::min(deadline, steady_clock::now() + kRecheckInterval));
      task = co_await find_live_task(ctx, route.id, caller.owner);
    }
    ctx.waiters.unsubscribe(id, waiter);
    if (!task.ok()) co_return error_response(task.error());
  }

  if (ctx.keys.url_signer()->enabled() && task->state == core::TaskState::success) {
    co_return json_response(boost::beast::http::status::ok,
                            task_status_json(*task, signed_result_url(ctx, task->id)));
  }
  co_return json_response(boost::beast::http::status::ok, *ctx.status_bodies.body_for(*task));
}

}  // namespace image_resize::http
