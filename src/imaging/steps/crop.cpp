// Step crop: fit=cover scaled the image to cover the box; keep its centre.
#include "imaging/frames.h"
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {

core::Status crop(Context& context) {
  const Geometry& g = context.geometry;
  if (g.scaled_width == g.target_width && g.scaled_height == g.target_height) return {};
  if (g.scaled_width < g.target_width || g.scaled_height < g.target_height)
    return {};  // embed's job
  const int left = (g.scaled_width - g.target_width) / 2;
  const int top = (g.scaled_height - g.target_height) / 2;
  context.image = map_frames(context.image, [&](const vips::VImage& frame) {
    return frame.extract_area(left, top, g.target_width, g.target_height);
  });
  return {};
}

}  // namespace image_resize::imaging::steps
