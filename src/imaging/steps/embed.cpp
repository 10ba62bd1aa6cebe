// Step embed: fit=contain scaled the image to fit inside the box; pad it, centred, to exactly
// the box with the background colour. A transparent background needs an alpha band to show.
#include "imaging/format_support.h"
#include "imaging/frames.h"
#include "imaging/steps/colours.h"
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {

core::Status embed(Context& context) {
  const Geometry& g = context.geometry;
  if (g.scaled_width >= g.target_width && g.scaled_height >= g.target_height) return {};
  const bool output_has_alpha = supports_alpha(context.output_format);
  const core::Rgba colour = background_colour(context.spec.background, output_has_alpha);

  vips::VImage image = context.image;
  if (output_has_alpha && colour.a < 255 && !image.has_alpha()) {
    image = image.bandjoin_const({255.0});
  }
  const std::vector<double> background = to_bands(colour, image.has_alpha());
  const int left = (g.target_width - g.scaled_width) / 2;
  const int top = (g.target_height - g.scaled_height) / 2;
  context.image = map_frames(image, [&](const vips::VImage& frame) {
    return frame.embed(left, top, g.target_width, g.target_height,
                       vips::VImage::option()
                           ->set("extend", VIPS_EXTEND_BACKGROUND)
                           ->set("background", background));
  });
  return {};
}

}  // namespace image_resize::imaging::steps
