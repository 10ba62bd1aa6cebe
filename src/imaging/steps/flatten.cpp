// Step flatten: jpeg has no alpha, so transparent pixels are composited onto the background
// (white unless the client chose one) instead of being dropped to whatever colour they hide.
#include "imaging/format_support.h"
#include "imaging/steps/colours.h"
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {

core::Status flatten(Context& context) {
  if (supports_alpha(context.output_format) || !context.image.has_alpha()) return {};
  const core::Rgba colour = background_colour(context.spec.background, false);
  context.image =
      context.image.flatten(vips::VImage::option()->set("background", to_bands(colour, false)));
  if (context.image.format() != VIPS_FORMAT_UCHAR) {
    context.image = context.image.cast(VIPS_FORMAT_UCHAR);
  }
  return {};
}

}  // namespace image_resize::imaging::steps
