// GET /healthz (the process answers), GET /readyz (the store and the queue answer too) and
// GET /metrics (Prometheus text format).
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::status;

Response handle_healthz() { return json_response(status::ok, {{"status", "ok"}}); }

asio::awaitable<Response> handle_readyz(ApiContext& ctx) {
  auto checks = co_await ctx.blocking.run([&] {
    auto store = ctx.tasks.ping();
    auto depth = ctx.queue.depth();
    return std::make_pair(std::move(store), std::move(depth));
  });
  const bool ready = checks.first.ok() && checks.second.ok();
  const std::string store_state = checks.first.ok() ? "ok" : "unavailable";
  const std::string queue_state = checks.second.ok() ? "ok" : "unavailable";
  nlohmann::json body = {
      {"status", ready ? "ready" : "unavailable"}, {"store", store_state}, {"queue", queue_state}};
  if (checks.second.ok()) body["queue_depth"] = checks.second->total();
  if (!ready) {
    core::log::warn("not ready", {{"store", store_state}, {"queue", queue_state}});
    Response response = json_response(status::service_unavailable, body);
    response.set(boost::beast::http::field::retry_after, "1");
    co_return response;
  }
  co_return json_response(status::ok, body);
}

asio::awaitable<Response> handle_metrics(ApiContext& ctx) {
  // Rendering reads scrape-time gauges (queue depth) from the store: not on an I/O thread.
  std::string text = co_await ctx.blocking.run([&] { return ctx.metrics.render(); });
  Response response{status::ok, 11};
  response.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  response.set(boost::beast::http::field::cache_control, "no-store");
  response.body() = std::move(text);
  response.prepare_payload();
  co_return response;
}

}  // namespace image_resize::http
