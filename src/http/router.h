#pragma once
// Maps a request's method and target to a route of docs/API.md, or says why none matches
// (unknown path → 404, known path with another method → 405 with Allow).

#include <boost/beast/http/verb.hpp>
#include <ostream>  // Boost 1.81 string_view.hpp uses std::ostream without including it
#include <string>
#include <string_view>
#include <vector>

namespace image_resize::http {

enum class RouteId {
  resize,
  status,
  result,
  delete_task,    // the task API
  batch,          // a batch's tasks (GET) or their removal (DELETE)
  batch_archive,  // a ZIP of a batch's results
  presets,        // the presets an upload may name
  healthz,
  readyz,
  metrics,
  openapi,  // operations
  formats,
  dashboard_data,
  workers,
  worker,  // the operator routes
  home_page,
  dashboard_page,
  asset  // what a browser shows
};

// Health, readiness and metrics: all that a worker's --metrics-port serves.
bool is_operations_route(RouteId route);

// A short stable name for logs and metric labels, e.g. "status".
std::string_view to_string(RouteId route);

struct RouteMatch {
  enum class Kind { matched, not_found, method_not_allowed };
  Kind kind = Kind::not_found;
  RouteId route = RouteId::healthz;
  std::string_view id;     // the path segment after the route's prefix (a task id, an asset name)
  std::string_view query;  // what follows '?', without it
  std::string allow;       // for method_not_allowed: the methods the route takes
};

// `target` must outlive the match (id and query point into it).
RouteMatch match_route(boost::beast::http::verb method, std::string_view target);

// Every route as OpenAPI would name it ("/api/v1/status/{id}") with its methods, so that a test
// can hold the OpenAPI document to the router.
struct RouteDescription {
  RouteId id;
  std::string path_template;
  std::vector<boost::beast::http::verb> methods;
};
std::vector<RouteDescription> describe_routes();

}  // namespace image_resize::http
