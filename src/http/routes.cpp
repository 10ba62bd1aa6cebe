#include "http/routes.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::verb;

namespace {

const std::vector<verb> kRead{verb::get, verb::head};

// Adapters from each handler's own parameters to RouteHandler's.
asio::awaitable<Reply> resize(ApiContext& ctx, const Request& request, const RouteMatch&,
                              const Caller& caller) {
  co_return co_await handle_resize(ctx, request, caller);
}
asio::awaitable<Reply> status(ApiContext& ctx, const Request& request, const RouteMatch& route,
                              const Caller& caller) {
  co_return co_await handle_status(ctx, request, route, caller);
}
asio::awaitable<Reply> result(ApiContext& ctx, const Request& request, const RouteMatch& route,
                              const Caller& caller) {
  co_return co_await handle_result(ctx, request, route, caller);
}
asio::awaitable<Reply> remove(ApiContext& ctx, const Request&, const RouteMatch& route,
                              const Caller& caller) {
  co_return co_await handle_delete(ctx, route, caller);
}
asio::awaitable<Reply> batch(ApiContext& ctx, const Request& request, const RouteMatch& route,
                             const Caller& caller) {
  if (request.method() == verb::delete_) co_return co_await handle_batch_delete(ctx, route, caller);
  co_return co_await handle_batch_status(ctx, request, route, caller);
}
asio::awaitable<Reply> batch_archive(ApiContext& ctx, const Request& request,
                                     const RouteMatch& route, const Caller& caller) {
  co_return co_await handle_batch_archive(ctx, request, route, caller);
}
asio::awaitable<Reply> presets(ApiContext& ctx, const Request&, const RouteMatch&, const Caller&) {
  co_return handle_presets(ctx);
}
asio::awaitable<Reply> healthz(ApiContext&, const Request&, const RouteMatch&, const Caller&) {
  co_return handle_healthz();
}
asio::awaitable<Reply> readyz(ApiContext& ctx, const Request&, const RouteMatch&, const Caller&) {
  co_return co_await handle_readyz(ctx);
}
asio::awaitable<Reply> metrics(ApiContext& ctx, const Request&, const RouteMatch&, const Caller&) {
  co_return co_await handle_metrics(ctx);
}
asio::awaitable<Reply> openapi(ApiContext&, const Request&, const RouteMatch&, const Caller&) {
  co_return handle_openapi();
}
asio::awaitable<Reply> formats(ApiContext& ctx, const Request&, const RouteMatch&, const Caller&) {
  co_return handle_formats(ctx);
}
asio::awaitable<Reply> dashboard_data(ApiContext& ctx, const Request&, const RouteMatch&,
                                      const Caller& caller) {
  co_return co_await handle_dashboard_data(ctx, caller);
}
asio::awaitable<Reply> workers(ApiContext& ctx, const Request& request, const RouteMatch& route,
                               const Caller& caller) {
  if (request.method() == verb::patch) {
    co_return co_await handle_workers_update(ctx, request, route, caller);
  }
  co_return co_await handle_workers_list(ctx);
}
asio::awaitable<Reply> page(ApiContext&, const Request& request, const RouteMatch& route,
                            const Caller&) {
  co_return handle_page(request, route);
}

const std::vector<Route> kRoutes{
    {RouteId::resize,
     "resize",
     "/api/v1/images/resize",
     "",
     {verb::post},
     Access::api,
     false,
     resize},
    {RouteId::status, "status", "/api/v1/status/", "id", kRead, Access::api, false, status},
    {RouteId::result, "result", "/api/v1/images/result/", "id", kRead, Access::api_or_signed_link,
     false, result},
    {RouteId::delete_task,
     "delete",
     "/api/v1/tasks/",
     "id",
     {verb::delete_},
     Access::api,
     false,
     remove},
    {RouteId::batch,
     "batch",
     "/api/v1/batches/",
     "id",
     {verb::get, verb::head, verb::delete_},
     Access::api,
     false,
     batch},
    {RouteId::batch_archive, "batch_archive", "/api/v1/batches/", "id", kRead, Access::api, false,
     batch_archive, "/archive"},
    {RouteId::presets, "presets", "/api/v1/presets", "", kRead, Access::api, false, presets},
    {RouteId::healthz, "healthz", "/healthz", "", kRead, Access::open, true, healthz},
    {RouteId::readyz, "readyz", "/readyz", "", kRead, Access::open, true, readyz},
    {RouteId::metrics, "metrics", "/metrics", "", kRead, Access::open, true, metrics},
    {RouteId::openapi, "openapi", "/api/v1/openapi.json", "", kRead, Access::api, false, openapi},
    {RouteId::formats, "formats", "/api/v1/formats", "", kRead, Access::api, false, formats},
    {RouteId::dashboard_data, "dashboard_data", "/api/v1/dashboard", "", kRead, Access::api, false,
     dashboard_data},
    {RouteId::workers,
     "workers",
     "/api/v1/workers",
     "",
     {verb::get, verb::head, verb::patch},
     Access::admin,
     false,
     workers},
    {RouteId::worker,
     "worker",
     "/api/v1/workers/",
     "name",
     {verb::patch},
     Access::admin,
     false,
     workers},
    {RouteId::home_page, "home_page", "/", "", kRead, Access::open, false, page},
    {RouteId::dashboard_page, "dashboard_page", "/dashboard", "", kRead, Access::open, false, page},
    {RouteId::asset, "asset", "/assets/", "name", kRead, Access::open, false, page},
};

}  // namespace

std::span<const Route> routes() { return kRoutes; }

const Route& route_of(RouteId id) {
  for (const Route& route : kRoutes) {
    if (route.id == id) return route;
  }
  return kRoutes.front();  // unreachable: every RouteId has an entry (tests/unit/http/routing)
}

}  // namespace image_resize::http
