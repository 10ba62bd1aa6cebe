#include "imaging/geometry.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace image_resize::imaging {
namespace {

int scaled_side(int side, double scale) {
  return std::max(1, static_cast<int>(std::lround(static_cast<double>(side) * scale)));
}

}  // namespace

Geometry plan_geometry(int source_width, int source_height, const core::ResizeSpec& spec) {
  const int w = std::max(1, source_width);
  const int h = std::max(1, source_height);
  const std::optional<int> width = core::device_pixels(spec.width, spec.dpr);
  const std::optional<int> height = core::device_pixels(spec.height, spec.dpr);
  if (!width || !height) {
    // One side given: the other follows the aspect ratio.
    const double scale =
        width ? static_cast<double>(*width) / w : static_cast<double>(height.value_or(h)) / h;
    const int out_w = width ? *width : scaled_side(w, scale);
    const int out_h = height ? *height : scaled_side(h, scale);
    return {out_w, out_h, out_w, out_h};
  }
  const int box_w = *width;
  const int box_h = *height;
  const double scale_x = static_cast<double>(box_w) / w;
  const double scale_y = static_cast<double>(box_h) / h;
  switch (spec.fit) {
    case core::Fit::fill: return {box_w, box_h, box_w, box_h};
    case core::Fit::inside: {
      const double scale = std::min(scale_x, scale_y);
      const int out_w = std::min(box_w, scaled_side(w, scale));
      const int out_h = std::min(box_h, scaled_side(h, scale));
      return {out_w, out_h, out_w, out_h};
    }
    case core::Fit::cover: {
      const double scale = std::max(scale_x, scale_y);
      return {std::max(box_w, scaled_side(w, scale)), std::max(box_h, scaled_side(h, scale)), box_w,
              box_h};
    }
    case core::Fit::contain: {
      const double scale = std::min(scale_x, scale_y);
      return {std::min(box_w, scaled_side(w, scale)), std::min(box_h, scaled_side(h, scale)), box_w,
              box_h};
    }
  }
  return {box_w, box_h, box_w, box_h};
}

}  // namespace image_resize::imaging
