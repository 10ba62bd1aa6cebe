#include "metrics/quantile.h"

#include <algorithm>
#include <numeric>

namespace image_resize::metrics {

std::optional<double> bucket_quantile(double q, std::span<const double> upper_bounds,
                                      std::span<const std::uint64_t> counts) {
  const std::uint64_t total = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  if (total == 0 || upper_bounds.empty()) return std::nullopt;
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(total);
  double below = 0;  // observations in the buckets before this one
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto in_bucket = static_cast<double>(counts[i]);
    if (in_bucket > 0 && below + in_bucket >= rank) {
      if (i >= upper_bounds.size()) return upper_bounds.back();
      const double lower = i == 0 ? 0.0 : upper_bounds[i - 1];
      return lower + (upper_bounds[i] - lower) * ((rank - below) / in_bucket);
    }
    below += in_bucket;
  }
  return upper_bounds.back();
}

}  // namespace image_resize::metrics
