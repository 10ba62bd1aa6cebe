#include "tally.h"

#include <algorithm>
#include <cmath>

namespace image_resize::bench {

void Tally::success(double latency_ms) {
  const std::lock_guard lock(mutex_);
  latencies_ms_.push_back(latency_ms);
}

void Tally::failure(const std::string& reason) {
  const std::lock_guard lock(mutex_);
  ++errors_;
  if (reasons_.size() < kKeptReasons &&
      std::find(reasons_.begin(), reasons_.end(), reason) == reasons_.end()) {
    reasons_.push_back(reason);
  }
}

int Tally::ok() const {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(latencies_ms_.size());
}

int Tally::errors() const {
  const std::lock_guard lock(mutex_);
  return errors_;
}

std::vector<double> Tally::latencies_ms() const {
  const std::lock_guard lock(mutex_);
  return latencies_ms_;
}

nlohmann::json Tally::summary(double seconds) const {
  const std::lock_guard lock(mutex_);
  const auto ok = static_cast<double>(latencies_ms_.size());
  return {{"ok", latencies_ms_.size()},
          {"errors", errors_},
          {"error_samples", reasons_},
          {"seconds", rounded(seconds, 3)},
          {"tasks_per_s", rounded(seconds > 0 ? ok / seconds : 0, 2)},
          {"latency_ms",
           {{"p50", rounded(percentile(latencies_ms_, 0.50), 2)},
            {"p95", rounded(percentile(latencies_ms_, 0.95), 2)},
            {"p99", rounded(percentile(latencies_ms_, 0.99), 2)},
            {"max", rounded(percentile(latencies_ms_, 1.0), 2)}}}};
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double mib(std::uint64_t bytes) {
  return rounded(static_cast<double>(bytes) / (1024.0 * 1024.0), 1);
}

double rounded(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

}  // namespace image_resize::bench
