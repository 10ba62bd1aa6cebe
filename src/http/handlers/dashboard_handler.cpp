// GET /api/v1/dashboard: what the page at /dashboard shows, from the queue, the worker registry
// and the task store (every API process answers the same, since all three are shared).
#include "http/dashboard_json.h"
#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::status;

namespace {
constexpr std::size_t kFailuresShown = 20;
}  // namespace

asio::awaitable<Response> handle_dashboard_data(ApiContext& ctx, const Caller& caller) {
  auto document = co_await ctx.blocking.run([&]() -> core::Result<nlohmann::json> {
    auto depth = ctx.queue.depth();
    if (!depth.ok()) return depth.error();
    auto workers = ctx.workers.list();
    if (!workers.ok()) return workers.error();
    auto failures = ctx.tasks.recent_failures(kFailuresShown);
    if (!failures.ok()) return failures.error();
    auto webhooks = ctx.webhooks.failing(kFailuresShown);
    if (!webhooks.ok()) return webhooks.error();
    return dashboard_json({.depth = *depth,
                           .workers = std::move(workers).value(),
                           .recent_failures = std::move(failures).value(),
                           .failing_webhooks = std::move(webhooks).value(),
                           .now = core::now(),
                           .alive_within = core::silent_after(ctx.heartbeat_interval),
                           .history = ctx.history.samples(),
                           .operator_controls = caller.admin});
  });
  if (!document.ok()) {
    co_return error_response(core::Error::make(
        core::ErrorCode::backend_unavailable,
        "The dashboard's sources are unreachable; retry shortly.", document.error().log_message()));
  }
  Response response = json_response(status::ok, *document);
  response.set(boost::beast::http::field::cache_control, "no-store");
  co_return response;
}

}  // namespace image_resize::http
