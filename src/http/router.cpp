#include "http/router.h"

#include <initializer_list>
#include <vector>

#include "http/routes.h"

namespace image_resize::http {

namespace beast_http = boost::beast::http;
using beast_http::verb;

namespace {

bool path_matches(const Route& spec, std::string_view path, std::string_view& id) {
  if (spec.param.empty()) return path == spec.path;
  if (!path.starts_with(spec.path) || !path.ends_with(spec.suffix)) return false;
  if (path.size() < spec.path.size() + spec.suffix.size()) return false;
  id = path.substr(spec.path.size(), path.size() - spec.path.size() - spec.suffix.size());
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

std::string_view to_string(RouteId route) { return route_of(route).name; }

bool is_operations_route(RouteId route) { return route_of(route).operations; }

std::vector<RouteDescription> describe_routes() {
  std::vector<RouteDescription> described;
  for (const Route& spec : routes()) {
    std::string path(spec.path);
    // append() rather than "{" + ...: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
    if (!spec.param.empty()) path.append("{").append(spec.param).append("}").append(spec.suffix);
    described.push_back({spec.id, std::move(path), spec.methods});
  }
  return described;
}

RouteMatch match_route(verb method, std::string_view target) {
  RouteMatch match;
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  if (question != std::string_view::npos) match.query = target.substr(question + 1);

  for (const Route& spec : routes()) {
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
