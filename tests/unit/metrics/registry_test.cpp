#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "support/prometheus_text.h"

namespace image_resize::metrics {
namespace {

// The text, parsed strictly: a malformed line fails the test.
std::map<std::string, double> parse_exposition(const std::string& text) {
  const testing::Exposition exposition = testing::parse_exposition(text);
  EXPECT_TRUE(exposition.errors.empty()) << ::testing::PrintToString(exposition.errors);
  return exposition.samples;
}

TEST(Registry, CountersByLabels) {
  Registry registry;
  registry.counter("requests_total", "Requests", {{"route", "status"}, {"code", "200"}}).inc();
  registry.counter("requests_total", "Requests", {{"route", "status"}, {"code", "200"}}).inc(2);
  registry.counter("requests_total", "Requests", {{"route", "resize"}, {"code", "202"}}).inc();
  const std::string text = registry.render();
  EXPECT_NE(text.find("# TYPE requests_total counter"), std::string::npos);
  const auto samples = parse_exposition(text);
  EXPECT_EQ(samples.at(R"(requests_total{code="200",route="status"})"), 3);
  EXPECT_EQ(samples.at(R"(requests_total{code="202",route="resize"})"), 1);
}

TEST(Registry, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& histogram = registry.histogram("latency_seconds", "Latency", {}, {0.1, 1.0});
  histogram.observe(0.05);
  histogram.observe(0.5);
  histogram.observe(5);
  const auto samples = parse_exposition(registry.render());
  EXPECT_EQ(samples.at(R"(latency_seconds_bucket{le="0.1"})"), 1);
  EXPECT_EQ(samples.at(R"(latency_seconds_bucket{le="1"})"), 2);
  EXPECT_EQ(samples.at(R"(latency_seconds_bucket{le="+Inf"})"), 3);
  EXPECT_EQ(samples.at("latency_seconds_count"), 3);
  EXPECT_NEAR(samples.at("latency_seconds_sum"), 5.55, 1e-9);
}

TEST(Registry, GaugesAreReadAtScrapeTime) {
  Registry registry;
  double depth = 1;
  registry.gauge("queue_depth", "Depth", [&] {
    return std::vector<std::pair<Labels, double>>{{{{"priority", "high"}}, depth}};
  });
  EXPECT_EQ(parse_exposition(registry.render()).at(R"(queue_depth{priority="high"})"), 1);
  depth = 7;
  EXPECT_EQ(parse_exposition(registry.render()).at(R"(queue_depth{priority="high"})"), 7);
}

TEST(Registry, LabelValuesAreEscaped) {
  Registry registry;
  registry.counter("odd_total", "Help with \\ and\nnewline", {{"path", "a\"b\\c\nd"}}).inc();
  const std::string text = registry.render();
  EXPECT_NE(text.find(R"(odd_total{path="a\"b\\c\nd"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP odd_total Help with \\ and\nnewline)"), std::string::npos);
  parse_exposition(text);
}

TEST(Registry, ConcurrentIncrementsAreNotLost) {
  Registry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        registry.counter("hits_total", "Hits").inc();
        registry.histogram("h_seconds", "H").observe(0.002);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto samples = parse_exposition(registry.render());
  EXPECT_EQ(samples.at("hits_total"), 40000);
  EXPECT_EQ(samples.at("h_seconds_count"), 40000);
}

}  // namespace
}  // namespace image_resize::metrics
