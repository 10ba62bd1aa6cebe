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
  std::string_view path;   // exact path, or the prefix before the parameter when it has one
  std::string_view param;  // name of the last path segment's parameter; empty: none
  std::vector<verb> methods;
};

const std::array<RouteSpec, 12>& routes() {
  static const std::array<RouteSpec, 12> kRoutes{{
      {RouteId::resize, "/api/v1/images/resize", "", {verb::post}},
      {RouteId::status, "/api/v1/status/", "id", {verb::get, verb::head}},
      {RouteId::result, "/api/v1/images/result/", "id", {verb::get, verb::head}},
      {RouteId::delete_task, "/api/v1/tasks/", "id", {verb::delete_}},
      {RouteId::healthz, "/healthz", "", {verb::get, verb::head}},
      {RouteId::readyz, "/readyz", "", {verb::get, verb::head}},
      {RouteId::metrics, "/metrics", "", {verb::get, verb::head}},
      {RouteId::openapi, "/api/v1/openapi.json", "", {verb::get, verb::head}},
      {RouteId::dashboard_data, "/api/v1/dashboard", "", {verb::get, verb::head}},
      {RouteId::home_page, "/", "", {verb::get, verb::head}},
      {RouteId::dashboard_page, "/dashboard", "", {verb::get, verb::head}},
      {RouteId::asset, "/assets/", "name", {verb::get, verb::head}},
  }};
  return kRoutes;
}

bool path_matches(const RouteSpec& spec, std::string_view path, std::string_view& id) {
  if (spec.param.empty()) return path == spec.path;
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
    case RouteId::dashboard_data: return "dashboard_data";
    case RouteId::home_page: return "home_page";
    case RouteId::dashboard_page: return "dashboard_page";
    case RouteId::asset: return "asset";
  }
  return "unknown";
}

bool is_operations_route(RouteId route) {
  return route == RouteId::healthz || route == RouteId::readyz || route == RouteId::metrics;
}

std::vector<RouteDescription> describe_routes() {
  std::vector<RouteDescription> described;
  for (const RouteSpec& spec : routes()) {
    std::string path(spec.path);
    // append() rather than "{" + ...: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
    if (!spec.param.empty()) path.append("{").append(spec.param).append("}");
    described.push_back({spec.id, std::move(path), spec.methods});
  }
  return described;
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
