#include "imaging/steps/colours.h"

#include <cmath>
#include <cstdint>

namespace image_resize::imaging::steps {
namespace {

constexpr core::Rgba kWhite{255, 255, 255, 255};
constexpr core::Rgba kTransparent{0, 0, 0, 0};

std::uint8_t over_white(std::uint8_t channel, std::uint8_t alpha) {
  const double a = alpha / 255.0;
  return static_cast<std::uint8_t>(std::lround(channel * a + 255.0 * (1.0 - a)));
}

}  // namespace

core::Rgba background_colour(const std::optional<core::Rgba>& requested, bool output_has_alpha) {
  if (!requested) return output_has_alpha ? kTransparent : kWhite;
  if (output_has_alpha) return *requested;
  const core::Rgba& c = *requested;
  return {over_white(c.r, c.a), over_white(c.g, c.a), over_white(c.b, c.a), 255};
}

std::vector<double> to_bands(const core::Rgba& colour, bool with_alpha) {
  std::vector<double> bands{static_cast<double>(colour.r), static_cast<double>(colour.g),
                            static_cast<double>(colour.b)};
  if (with_alpha) bands.push_back(colour.a);
  return bands;
}

}  // namespace image_resize::imaging::steps
