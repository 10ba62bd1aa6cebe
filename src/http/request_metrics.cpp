#include "http/request_metrics.h"

#include <string>

namespace image_resize::http {

namespace {
std::size_t route_index(std::optional<RouteId> route) {
  return route ? static_cast<std::size_t>(*route) + 1 : 0;
}
}  // namespace

RequestMetrics::RequestMetrics(metrics::Registry& registry)
    : registry_(registry),
      request_bytes_(
          registry.counter("image_resize_http_request_bytes_total", "Request body bytes received")),
      response_bytes_(
          registry.counter("image_resize_http_response_bytes_total", "Response body bytes sent")) {}

std::string_view RequestMetrics::route_label(std::optional<RouteId> route) {
  return route ? to_string(*route) : "none";
}

metrics::Counter& RequestMetrics::requests(std::optional<RouteId> route, unsigned status_code) {
  // A code outside 100–599 (Beast carries any three digits) has no slot: looked up each time.
  const auto lookup = [&]() -> metrics::Counter& {
    return registry_.counter(
        "image_resize_http_requests_total", "HTTP requests by route and status code",
        {{"route", std::string(route_label(route))}, {"code", std::to_string(status_code)}});
  };
  if (status_code < kFirstCode || status_code >= kFirstCode + kCodes) return lookup();
  auto& slot = routes_[route_index(route)].requests_by_code[status_code - kFirstCode];
  metrics::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &lookup();
    slot.store(counter, std::memory_order_release);
  }
  return *counter;
}

metrics::Histogram& RequestMetrics::duration(std::optional<RouteId> route) {
  auto& slot = routes_[route_index(route)].duration;
  metrics::Histogram* histogram = slot.load(std::memory_order_acquire);
  if (histogram == nullptr) {
    histogram = &registry_.histogram("image_resize_http_request_duration_seconds",
                                     "Time from a request's last byte to its response, by route",
                                     {{"route", std::string(route_label(route))}});
    slot.store(histogram, std::memory_order_release);
  }
  return *histogram;
}

void RequestMetrics::record(std::optional<RouteId> route, unsigned status_code, double seconds,
                            std::uint64_t body_bytes_in, std::uint64_t body_bytes_out) {
  requests(route, status_code).inc();
  duration(route).observe(seconds);
  request_bytes_.inc(static_cast<double>(body_bytes_in));
  response_bytes_.inc(static_cast<double>(body_bytes_out));
}

}  // namespace image_resize::http
