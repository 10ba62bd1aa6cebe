#include "http/dispatcher.h"

#include <boost/beast/http/field.hpp>

#include "core/ip_ranges.h"
#include "core/log.h"
#include "http/forms/query.h"
#include "http/routes.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

asio::awaitable<std::optional<Response>> Dispatcher::check_rate(const Caller& caller) {
  if (ctx_.rate_limiter == nullptr) co_return std::nullopt;
  const std::string bucket = caller.owner.empty() ? "ip:" + caller.address : "key:" + caller.owner;
  auto decision = co_await ctx_.blocking.run([&] { return ctx_.rate_limiter->take(bucket); });
  if (!decision.ok()) {
    // The store behind the limiter is down: the request would fail anyway, and it says why.
    core::log::warn("rate limiter unavailable", {{"error", decision.error().log_message()}});
    co_return std::nullopt;
  }
  if (decision->allowed) co_return std::nullopt;
  const auto seconds = std::max<std::int64_t>(1, (decision->retry_after.count() + 999) / 1000);
  Response response = error_response(
      core::Error::make(core::ErrorCode::rate_limited,
                        "Too many requests; retry after " + std::to_string(seconds) + " s."));
  response.set(beast_http::field::retry_after, std::to_string(seconds));
  co_return response;
}

namespace {

bool is_loopback(const std::string& address) {
  static const core::IpRanges kLoopback = core::IpRanges::parse("127.0.0.0/8,::1").value();
  return kLoopback.contains(address);  // the IPv4-mapped forms too
}

}  // namespace

std::optional<Response> Dispatcher::authenticate(const Request& request, Caller& caller) {
  const auto api_keys = ctx_.keys.api_keys();
  if (!api_keys->enabled()) {
    caller.admin = ctx_.http.admin_on_loopback && is_loopback(caller.address);
    return std::nullopt;
  }
  auto key = api_keys->authenticate(request[beast_http::field::authorization]);
  if (!key.ok()) {
    Response response = error_response(key.error());
    if (key.error().code == core::ErrorCode::unauthorized) {
      response.set("WWW-Authenticate", "Bearer");
    }
    return response;
  }
  caller.owner = std::move(key->name);
  caller.admin = key->admin;
  return std::nullopt;
}

std::optional<Response> Dispatcher::authorize_operator(const Request& request, Caller& caller) {
  if (auto refused = authenticate(request, caller)) return refused;
  if (caller.admin) return std::nullopt;
  if (ctx_.keys.api_keys()->enabled()) {
    return error_response(core::Error::make(
        core::ErrorCode::admin_required,
        "This route needs an admin API key (the word admin after its name in the keys file)."));
  }
  return error_response(core::Error::make(
      core::ErrorCode::operator_routes_off,
      "The operator routes are off: start the server with --api-keys-file and an admin key, or "
      "call from this machine with --admin-on-loopback."));
}

std::optional<Response> Dispatcher::authorize(const Request& request, const Route& route,
                                              Caller& caller) {
  if (route.access == Access::admin) return authorize_operator(request, caller);
  const auto signer = ctx_.keys.url_signer();
  if (route.access != Access::api_or_signed_link || !signer->enabled()) {
    return authenticate(request, caller);
  }
  auto target = parse_query(request.target());
  if (!target.ok()) return error_response(target.error());
  const std::string* signature = target->param("signature");
  if (signature == nullptr) return authenticate(request, caller);
  const std::string* expires = target->param("expires");
  const std::string_view path = request.target().substr(0, request.target().find('?'));
  const std::int64_t now = core::to_unix_ms(core::now()) / 1000;
  switch (signer->check(path, expires ? *expires : "", *signature, now)) {
    case UrlSigner::Verdict::valid: caller.signed_link = true; return std::nullopt;
    case UrlSigner::Verdict::expired:
      return error_response(
          core::Error::make(core::ErrorCode::forbidden,
                            "This link has expired; get a fresh one from the task's status."));
    case UrlSigner::Verdict::bad_signature: break;
  }
  return error_response(core::Error::make(
      core::ErrorCode::forbidden, "This link's signature is not valid for its path and expiry."));
}

// A browser asking whether a cross-origin request may be sent (--cors-origins).
bool Dispatcher::is_preflight(const Request& request, const RouteMatch& route) const {
  return ctx_.cors.enabled() && request.method() == beast_http::verb::options &&
         route.kind == RouteMatch::Kind::method_not_allowed &&
         request.find(beast_http::field::access_control_request_method) != request.end();
}

Response Dispatcher::preflight(const Request& request, const RouteMatch& route) const {
  Response response{beast_http::status::no_content, 11};
  // An origin not listed gets no CORS headers: its browser then refuses to send the request.
  for (auto& [name, value] :
       ctx_.cors.preflight_headers(request[beast_http::field::origin], route.allow)) {
    response.set(name, value);
  }
  response.set(beast_http::field::vary, "Origin");
  return response;
}

asio::awaitable<Reply> Dispatcher::dispatch(const Request& request, const RouteMatch& route,
                                            Caller& caller) {
  const bool hidden = ctx_.http.operations_only && !is_operations_route(route.route);
  if (!hidden && is_preflight(request, route)) co_return preflight(request, route);
  try {
    switch (hidden ? RouteMatch::Kind::not_found : route.kind) {
      case RouteMatch::Kind::not_found:
        co_return error_response(core::Error::make(
            core::ErrorCode::route_not_found,
            "No such endpoint. See /api/v1/openapi.json for the routes of this API."));
      case RouteMatch::Kind::method_not_allowed: {
        Response response = error_response(core::Error::make(
            core::ErrorCode::method_not_allowed, "This endpoint does not accept " +
                                                     std::string(request.method_string()) +
                                                     "; use " + route.allow + "."));
        response.set(beast_http::field::allow, route.allow);
        co_return response;
      }
      case RouteMatch::Kind::matched: break;
    }
    const Route& matched = route_of(route.route);
    if (matched.access != Access::open) {
      if (auto refused = authorize(request, matched, caller)) {
        co_return std::move(*refused);
      }
      if (auto refused = co_await check_rate(caller)) co_return std::move(*refused);
    }
    co_return co_await matched.handler(ctx_, request, route, caller);
  } catch (const std::exception& e) {
    core::log::error("request failed with an exception",
                     {{"target", std::string(request.target())}, {"error", e.what()}});
  }
  co_return error_response(
      core::Error::make(core::ErrorCode::internal, "Internal error; it has been logged."));
}

}  // namespace image_resize::http
