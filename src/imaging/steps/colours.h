#pragma once
// The colour behind padding (contain) and behind transparency (flatten), chosen in one place
// so that both agree: docs/API.md's default is transparent where the output format has alpha, else
// white; a background with alpha on a format without alpha is shown as over white.

#include <optional>
#include <vector>

#include "core/resize_spec.h"

namespace image_resize::imaging::steps {

core::Rgba background_colour(const std::optional<core::Rgba>& requested, bool output_has_alpha);

// libvips band values of an 8-bit sRGB colour: {r, g, b} or {r, g, b, a}.
std::vector<double> to_bands(const core::Rgba& colour, bool with_alpha);

}  // namespace image_resize::imaging::steps
