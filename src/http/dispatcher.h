#pragma once
// What a request meets once it has been read whole: the route's verdict (404, 405), the API key
// and the rate limit of API routes, then the route's handler from the route table.
// Thread safety: dispatch() from any I/O thread at once.

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "http/api_context.h"
#include "http/handlers/handlers.h"
#include "http/router.h"
#include "http/routes.h"

namespace image_resize::http {

class Dispatcher {
 public:
  explicit Dispatcher(ApiContext& ctx) : ctx_(ctx) {}

  // The response to `request`; sets caller.owner when API keys are on and its key is valid.
  boost::asio::awaitable<Reply> dispatch(const Request& request, const RouteMatch& route,
                                         Caller& caller);

 private:
  // A refusal when the caller's bucket is empty (--rate-limit), else nullopt.
  boost::asio::awaitable<std::optional<Response>> check_rate(const Caller& caller);
  // A refusal (401, 403) when keys are on and the request has no valid one; else sets
  // caller.owner and caller.admin and returns nullopt.
  std::optional<Response> authenticate(const Request& request, Caller& caller);
  // On an operator route: a refusal (401, 403) unless the caller may use it (Caller::admin).
  std::optional<Response> authorize_operator(const Request& request, Caller& caller);
  // authenticate(), or on a route that takes signed links (--url-signing-key) a request with a
  // `signature`: that link instead of a key (403 when it is tampered with or expired).
  std::optional<Response> authorize(const Request& request, const Route& route, Caller& caller);
  // --cors-origins: a preflight OPTIONS, answered 204 with what the route allows.
  bool is_preflight(const Request& request, const RouteMatch& route) const;
  Response preflight(const Request& request, const RouteMatch& route) const;

  ApiContext& ctx_;
};

}  // namespace image_resize::http
