#include "core/worker_status.h"

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

}  // namespace image_resize::core
