#pragma once
// --cors-origins: browsers on other origins may call the API. A listed origin's requests are
// answered with Access-Control-Allow-Origin (that origin, echoed) and the headers a client reads
// (Location, ETag, Retry-After, X-Request-Id); a preflight OPTIONS of an /api/v1 route is
// answered 204 with the route's methods and the request headers the API reads. `*` allows every
// origin and is refused with API keys on (configuration check), since any page could then use a
// key a user typed. Other origins get no CORS headers, so their browsers block the answer.
// Thread safety: immutable after parse.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::http {

class CorsPolicy {
 public:
  CorsPolicy() = default;  // off: no CORS headers at all
  // "https://app.example.com,http://127.0.0.1:3000" or "*"; each origin scheme://host[:port].
  static core::Result<CorsPolicy> parse(std::string_view list);

  bool enabled() const { return any_origin_ || !origins_.empty(); }
  bool any_origin() const { return any_origin_; }
  bool allows(std::string_view origin) const;

  // Headers for the answer to a request from `origin` (none when it is not allowed).
  std::vector<std::pair<std::string, std::string>> response_headers(std::string_view origin) const;
  // Headers for the 204 answer to a preflight from `origin` for a route that takes
  // `allowed_methods` (e.g. "GET, HEAD"); none when the origin is not allowed.
  std::vector<std::pair<std::string, std::string>> preflight_headers(
      std::string_view origin, std::string_view allowed_methods) const;

 private:
  bool any_origin_ = false;
  std::vector<std::string> origins_;
};

}  // namespace image_resize::http
