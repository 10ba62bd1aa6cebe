// GET /api/v1/dashboard: what the page at /dashboard shows, from the queue, the worker registry
// and the task store (every API process answers the same, since all three are shared).
#include <algorithm>

#include "http/dashboard_json.h"
#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::status;

namespace {
constexpr std::size_t kFailuresShown = 20;
constexpr std::size_t kBatchesShown = 10;
// Task reads per poll over every batch shown. A batch has up to --max-batch-files × 16 tasks,
// so ten of them could cost thousands of reads every few seconds: the newest batches are read
// first, each from its first task on, and what the budget does not reach is left uncounted
// (the batch's own route reads it all).
constexpr std::size_t kBatchTaskReads = 200;

// The latest live batches the caller may see (with API keys on, an admin key sees every
// owner's, any other key its own, as the batch routes would answer it), each with the
// states of as many of its tasks as the budget allows.
core::Result<std::vector<DashboardBatch>> recent_batches(ApiContext& ctx, const Caller& caller,
                                                         core::TimePoint now) {
  auto recent = ctx.tasks.recent_batches(kBatchesShown);
  if (!recent.ok()) return recent.error();
  const bool every_owner = caller.admin || !ctx.keys.api_keys()->enabled();
  std::vector<DashboardBatch> batches;
  std::size_t budget = kBatchTaskReads;
  for (core::BatchRecord& record : *recent) {
    if (record.expires_at <= now || (!every_owner && record.owner != caller.owner)) continue;
    DashboardBatch batch{.record = std::move(record), .tasks = {}};
    const std::size_t reads = std::min(budget, batch.record.entries.size());
    for (std::size_t i = 0; i < reads; ++i) {
      auto task = ctx.tasks.get(batch.record.entries[i].task_id);
      if (!task.ok()) return task.error();
      batch.tasks.push_back(std::move(task).value());
    }
    budget -= reads;
    batches.push_back(std::move(batch));
  }
  return batches;
}
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
    const core::TimePoint now = core::now();
    auto batches = recent_batches(ctx, caller, now);
    if (!batches.ok()) return batches.error();
    return dashboard_json({.depth = *depth,
                           .workers = std::move(workers).value(),
                           .recent_failures = std::move(failures).value(),
                           .failing_webhooks = std::move(webhooks).value(),
                           .now = now,
                           .alive_within = core::silent_after(ctx.heartbeat_interval),
                           .history = ctx.history.samples(),
                           .batches = std::move(batches).value(),
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
