#include "http/cors.h"

#include <algorithm>

#include "core/comma_list.h"

namespace image_resize::http {
namespace {

// scheme://host[:port], no path: what a browser sends as Origin.
bool is_origin(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  const std::string_view rest = text.substr(scheme_end + 3);
  return !rest.empty() && rest.find_first_of("/?#* ") == std::string_view::npos;
}

}  // namespace

core::Result<CorsPolicy> CorsPolicy::parse(std::string_view list) {
  CorsPolicy policy;
  for (const std::string_view entry : core::comma_separated(list)) {
    if (entry == "*") {
      policy.any_origin_ = true;
    } else if (is_origin(entry)) {
      std::string origin(entry);
      std::transform(origin.begin(), origin.end(), origin.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      policy.origins_.push_back(std::move(origin));
    } else {
      return core::Error::make(core::ErrorCode::internal,
                               "--cors-origins: '" + std::string(entry) +
                                   "' is not an origin (scheme://host[:port]) or *");
    }
  }
  return policy;
}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  if (any_origin_) return true;
  std::string lower(origin);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(origins_.begin(), origins_.end(), lower) != origins_.end();
}

std::vector<std::pair<std::string, std::string>> CorsPolicy::response_headers(
    std::string_view origin) const {
  if (!allows(origin)) return {};
  return {{"Access-Control-Allow-Origin", any_origin_ ? "*" : std::string(origin)},
          {"Access-Control-Expose-Headers", "Location, ETag, Retry-After, X-Request-Id"},
          {"Vary", "Origin"}};
}

std::vector<std::pair<std::string, std::string>> CorsPolicy::preflight_headers(
    std::string_view origin, std::string_view allowed_methods) const {
  auto headers = response_headers(origin);
  if (headers.empty()) return headers;
  headers.emplace_back("Access-Control-Allow-Methods", std::string(allowed_methods));
  headers.emplace_back("Access-Control-Allow-Headers",
                       "Authorization, Content-Type, If-None-Match, X-Request-Id");
  headers.emplace_back("Access-Control-Max-Age", "600");
  return headers;
}

}  // namespace image_resize::http
