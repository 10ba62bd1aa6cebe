#pragma once
// What a benchmark run counts: tasks that succeeded (with their latency) and tasks that failed
// (with the first few reasons), from many threads at once; and the report figures from them.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace image_resize::bench {

class Tally {
 public:
  void success(double latency_ms);
  void failure(const std::string& reason);

  int ok() const;
  int errors() const;
  // The successes' latencies, in the order they finished.
  std::vector<double> latencies_ms() const;
  // The figures of a run that took `seconds`: ok, errors, error_samples (up to kKeptReasons
  // distinct reasons), seconds, tasks_per_s (successes only), and latency_ms {p50, p95, p99,
  // max} over the successes (nearest rank).
  nlohmann::json summary(double seconds) const;

 private:
  static constexpr std::size_t kKeptReasons = 5;
  mutable std::mutex mutex_;
  std::vector<double> latencies_ms_;  // guarded by mutex_
  int errors_ = 0;                    // guarded by mutex_
  std::vector<std::string> reasons_;  // guarded by mutex_
};

// The q-quantile (0..1) by nearest rank; 0 when `values` is empty.
double percentile(std::vector<double> values, double q);

// Bytes in MiB, rounded to 0.1, for the JSON reports.
double mib(std::uint64_t bytes);
// A figure rounded to `digits` decimals, for the JSON reports.
double rounded(double value, int digits);

}  // namespace image_resize::bench
