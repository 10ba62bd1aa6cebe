#pragma once
// A quantile estimated from bucket counts, as Prometheus' histogram_quantile() does it: find the
// bucket holding the rank, and interpolate linearly inside it.

#include <cstdint>
#include <optional>
#include <span>

namespace image_resize::metrics {

// `counts` holds one count per bucket of `upper_bounds` (not cumulative), then one for values
// above the last bound. q in [0, 1]. nullopt when there are no observations. A rank in the
// overflow bucket answers the last bound (the most that can be said).
std::optional<double> bucket_quantile(double q, std::span<const double> upper_bounds,
                                      std::span<const std::uint64_t> counts);

}  // namespace image_resize::metrics
