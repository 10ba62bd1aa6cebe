// GET /healthz (the process answers), GET /readyz (the task store, the queue and the blob store
// answer too, and the data dir has its --min-free-space) and GET /metrics (Prometheus text format).
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::status;

Response handle_healthz() { return json_response(status::ok, {{"status", "ok"}}); }

asio::awaitable<Response> handle_readyz(ApiContext& ctx) {
  struct Checks {
    core::Status store;
    core::Result<tasks::QueueDepth> depth;
    core::Status blobs;
    bool storage_low = false;
  };
  const Checks checks = co_await ctx.blocking.run([&] {
    return Checks{.store = ctx.tasks.ping(),
                  .depth = ctx.queue.depth(),
                  .blobs = ctx.blobs.ping(),
                  .storage_low = ctx.free_space != nullptr && ctx.free_space->low()};
  });
  const bool ready =
      checks.store.ok() && checks.depth.ok() && checks.blobs.ok() && !checks.storage_low;
  const std::string store_state = checks.store.ok() ? "ok" : "unavailable";
  const std::string queue_state = checks.depth.ok() ? "ok" : "unavailable";
  const std::string blobs_state = checks.blobs.ok() ? "ok" : "unavailable";
  const std::string storage_state = checks.storage_low ? "low" : "ok";
  nlohmann::json body = {{"status", ready ? "ready" : "unavailable"},
                         {"store", store_state},
                         {"queue", queue_state},
                         {"blobs", blobs_state},
                         {"storage", storage_state}};
  if (checks.depth.ok()) body["queue_depth"] = checks.depth->total();
  if (!ready) {
    core::log::warn("not ready", {{"store", store_state},
                                  {"queue", queue_state},
                                  {"blobs", blobs_state},
                                  {"storage", storage_state},
                                  {"error", !checks.blobs.ok() ? checks.blobs.error().log_message()
                                                               : std::string()}});
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
