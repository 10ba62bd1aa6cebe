#pragma once
// The HTTP request metrics (requests by route and code, duration by route, bytes in and out),
// each series looked up in the registry once and then kept: a registry lookup builds a label
// map and takes the registry's lock, which was about 8 % of a status request (perf, under wrk).
// Thread safety: record() from any thread at once.

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>

#include "http/router.h"
#include "metrics/registry.h"

namespace image_resize::http {

class RequestMetrics {
 public:
  explicit RequestMetrics(metrics::Registry& registry);

  // One answered request; `route` is nullopt when no route matched ("none").
  void record(std::optional<RouteId> route, unsigned status_code, double seconds,
              std::uint64_t body_bytes_in, std::uint64_t body_bytes_out);

  // The label a route has in metrics and logs: its name, or "none".
  static std::string_view route_label(std::optional<RouteId> route);

 private:
  static constexpr unsigned kFirstCode = 100;
  static constexpr unsigned kCodes = 500;  // 100 to 599, every code HTTP/1.1 can carry
  static constexpr std::size_t kRouteLabels = static_cast<std::size_t>(RouteId::asset) + 2;

  // Series of one route label, filled on first use; a race fills a slot twice with the same
  // registry object.
  struct RouteSeries {
    std::array<std::atomic<metrics::Counter*>, kCodes> requests_by_code{};
    std::atomic<metrics::Histogram*> duration{nullptr};
  };
  metrics::Counter& requests(std::optional<RouteId> route, unsigned status_code);
  metrics::Histogram& duration(std::optional<RouteId> route);

  metrics::Registry& registry_;
  metrics::Counter& request_bytes_;
  metrics::Counter& response_bytes_;
  std::array<RouteSeries, kRouteLabels> routes_;
};

}  // namespace image_resize::http
