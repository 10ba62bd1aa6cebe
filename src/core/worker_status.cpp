#include "core/worker_status.h"

#include <algorithm>
#include <array>

namespace image_resize::core {

std::span<const double> activity_bucket_bounds() {
  static const auto kBounds = [] {
    std::array<double, 54> bounds{};
    double bound = 0.001;
    for (double& value : bounds) {
      value = bound;
      bound *= 1.25;
    }
    return bounds;
  }();
  return kBounds;
}

void add_bucket_counts(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& counts) {
  if (into.empty()) into.resize(counts.size());
  for (std::size_t i = 0; i < std::min(into.size(), counts.size()); ++i) into[i] += counts[i];
}

}  // namespace image_resize::core
