#include "http/request_metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/prometheus_text.h"

namespace image_resize::http {
namespace {

// The value of `series` (name and labels as rendered) in the registry's text; 0 when absent.
double value_of(const metrics::Registry& registry, const std::string& series) {
  const auto exposition = testing::parse_exposition(registry.render());
  EXPECT_TRUE(exposition.errors.empty());
  return exposition.value(series);
}

std::string requests_series(const std::string& route, const std::string& code) {
  return "image_resize_http_requests_total{code=\"" + code + "\",route=\"" + route + "\"}";
}

TEST(RequestMetrics, CountsEachRouteAndCodeInItsOwnSeries) {
  metrics::Registry registry;
  RequestMetrics requests(registry);
  requests.record(RouteId::status, 200, 0.0005, 0, 300);
  requests.record(RouteId::status, 200, 0.002, 0, 300);
  requests.record(RouteId::status, 404, 0.001, 0, 80);
  requests.record(RouteId::resize, 202, 0.01, 5000, 150);
  requests.record(std::nullopt, 404, 0.001, 0, 60);
  requests.record(RouteId::status, 999, 0.001, 0, 0);  // outside 100–599: no slot, still counted
  requests.record(RouteId::status, 999, 0.001, 0, 0);
  EXPECT_EQ(value_of(registry, requests_series("status", "200")), 2);
  EXPECT_EQ(value_of(registry, requests_series("status", "404")), 1);
  EXPECT_EQ(value_of(registry, requests_series("resize", "202")), 1);
  EXPECT_EQ(value_of(registry, requests_series("none", "404")), 1);
  EXPECT_EQ(value_of(registry, requests_series("status", "999")), 2);
  const std::string durations = "image_resize_http_request_duration_seconds_count";
  EXPECT_EQ(value_of(registry, durations + R"({route="status"})"), 5);
  EXPECT_EQ(value_of(registry, durations + R"({route="none"})"), 1);
  EXPECT_EQ(value_of(registry, "image_resize_http_request_bytes_total"), 5000);
  EXPECT_EQ(value_of(registry, "image_resize_http_response_bytes_total"), 890);
}

TEST(RequestMetrics, ThreadsRecordingAtOnceLoseNoRequest) {
  metrics::Registry registry;
  RequestMetrics requests(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&requests, t] {
      for (int i = 0; i < 5000; ++i) {
        requests.record(i % 2 ? RouteId::status : RouteId::result, 200 + static_cast<unsigned>(t),
                        0.001, 1, 1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    const std::string code = std::to_string(200 + t);
    EXPECT_EQ(value_of(registry, requests_series("status", code)), 2500);
    EXPECT_EQ(value_of(registry, requests_series("result", code)), 2500);
  }
  EXPECT_EQ(value_of(registry, "image_resize_http_request_bytes_total"), 20000);
}

}  // namespace
}  // namespace image_resize::http
