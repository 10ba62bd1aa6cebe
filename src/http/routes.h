#pragma once
// The route table: the one place a route is declared — its path, methods, handler, and whether
// it is an API route (with --api-keys-file it needs a key, and --rate-limit counts it). Adding a
// route is one entry here and its handler in handlers/. The router matches against this table,
// the dispatcher calls its handlers, and the OpenAPI test holds docs/openapi.json to it.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <span>
#include <string_view>
#include <vector>

#include "http/handlers/handlers.h"
#include "http/router.h"

namespace image_resize::http {

// Who may call a route: anyone, or (for the /api/v1 routes) a caller with an API key when keys
// are on; API routes count against the caller's --rate-limit bucket.
// open: no key needed; api: an API key when keys are on; api_or_signed_link: the same, or a
// valid signed link (--url-signing-key) instead of the key; admin (the operator routes): an admin
// key, or without keys a loopback caller with --admin-on-loopback.
enum class Access { open, api, api_or_signed_link, admin };

using RouteHandler = boost::asio::awaitable<Reply> (*)(ApiContext& ctx, const Request& request,
                                                       const RouteMatch& route,
                                                       const Caller& caller);

struct Route {
  RouteId id;
  std::string_view name;   // for logs and metric labels, e.g. "status"
  std::string_view path;   // exact path, or the prefix before the parameter when it has one
  std::string_view param;  // name of the last path segment's parameter; empty: none
  std::vector<boost::beast::http::verb> methods;
  Access access;
  bool operations;  // health, readiness and metrics: what a worker's --metrics-port serves
  RouteHandler handler;
  // What follows the parameter, e.g. "/archive"; empty: the parameter ends the path.
  std::string_view suffix = {};
};

std::span<const Route> routes();
const Route& route_of(RouteId id);

}  // namespace image_resize::http
