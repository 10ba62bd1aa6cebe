#include "http/router.h"

#include <array>
#include <initializer_list>
#include <vector>

namespace image_resize::http {

namespace beast_http = boost::beast::http;
using beast_http::verb;

namespace {

struct RouteSpec {
  RouteId id;
  std::string_view path;  // exact path, or the prefix before the id when has_id
  bool has_id;
  std::vector<verb> methods;
};

const std::array<RouteSpec, 8>& routes() {
  static const std::array<RouteSpec, 8> kRoutes{{
      {RouteId::resize, "/api/v1/images/resize", false, {verb::post}},
      {RouteId::status, "/api/v1/status/", true, {verb::get, verb::head}},
      {RouteId::result, "/api/v1/images/result/", true, {verb::get, verb::head}},
      {RouteId::delete_task, "/api/v1/tasks/", true, {verb::delete_}},
      {RouteId::healthz, "/healthz", false, {verb::get, verb::head}},
      {RouteId::readyz, "/readyz", false, {verb::get, verb::head}},
      {RouteId::metrics, "/metrics", false, {verb::get, verb::head}},
      {RouteId::openapi, "/api/v1/openapi.json", false, {verb::get, verb::head}},
  }};
  return kRoutes;
}

bool path_matches(const RouteSpec& spec, std::string_view path, std::string_view& id) {
  if (!spec.has_id) return path == spec.path;
  if (!path.starts_with(spec.path)) return false;
  id = path.substr(spec.path.size());
  // One non-empty segment: /api/v1/status/<id>, not /api/v1/status/<id>/more.
  return !id.empty() && id.find('/') == std::string_view::npos;
}

std::string allow_header(const std::vector<verb>& methods) {
  std::string allow;
  for (verb method : methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(beast_http::to_string(method));
  }
  return allow;
}

}  // namespace

std::string_view to_string(RouteId route) {
  switch (route) {
    case RouteId::resize: return "resize";
    case RouteId::status: return "status";
    case RouteId::result: return "result";
    case RouteId::delete_task: return "delete";
    case RouteId::healthz: return "healthz";
    case RouteId::readyz: return "readyz";
    case RouteId::metrics: return "metrics";
    case RouteId::openapi: return "openapi";
  }
  return "unknown";
}

RouteMatch match_route(verb method, std::string_view target) {
  RouteMatch match;
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  if (question != std::string_view::npos) match.query = target.substr(question + 1);

  for (const RouteSpec& spec : routes()) {
    std::string_view id;
    if (!path_matches(spec, path, id)) continue;
    match.route = spec.id;
    match.id = id;
    for (verb allowed : spec.methods) {
      if (allowed == method) {
        match.kind = RouteMatch::Kind::matched;
        return match;
      }
    }
    match.kind = RouteMatch::Kind::method_not_allowed;
    match.allow = allow_header(spec.methods);
    return match;
  }
  match.kind = RouteMatch::Kind::not_found;
  return match;
}

}  // namespace image_resize::http
