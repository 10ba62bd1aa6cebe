#pragma once
// Prometheus metrics: counters, histograms and scrape-time gauges, rendered in the text
// exposition format (version 0.0.4). Written here although Debian ships prometheus-cpp 1.0: we
// need only the text format and gauges read at scrape time (queue depth from the store), which
// prometheus-cpp does not offer, and its serving half brings a second HTTP server (civetweb).
// Thread safety: every method may be called from any thread; the returned Counter and
// Histogram references stay valid for the registry's life and update lock-free.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace image_resize::metrics {

// Label name → value, sorted by name so one label set has one identity.
using Labels = std::map<std::string, std::string>;

class Counter {
 public:
  void inc(double amount = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative_counts;  // one per bound, then +Inf
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;  // per bucket, +Inf last
  std::atomic<double> sum_{0.0};
};

// Buckets for durations in seconds, from 1 ms to 60 s.
std::vector<double> duration_buckets();

class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       std::vector<double> upper_bounds = duration_buckets());
  // A gauge read when scraped: the callback returns the current value of each label set.
  using GaugeReader = std::function<std::vector<std::pair<Labels, double>>()>;
  void gauge(const std::string& name, const std::string& help, GaugeReader read);

  // The whole registry in the Prometheus text format.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family {
    Type type = Type::counter;
    std::string help;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
    GaugeReader gauge_reader;
  };
  Family& family(const std::string& name, const std::string& help, Type type);  // mutex_ held

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;  // guarded by mutex_
};

}  // namespace image_resize::metrics
