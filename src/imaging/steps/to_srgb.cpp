// Step to_srgb: whatever decode produced (CMYK without a profile, 16-bit, grey, a multiband
// TIFF), the later steps and every encoder get 8-bit sRGB, with alpha if the input had it.
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {

core::Status to_srgb(Context& context) {
  vips::VImage image = context.image;
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB) {
    if (vips_colourspace_issupported(image.get_image()) == 0) {
      // No known colour space (e.g. "fourier"): take the bands as colour or grey.
      const VipsInterpretation as =
          image.bands() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
      image = image.copy(vips::VImage::option()->set("interpretation", as));
    }
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    // colourspace trusts a guessed space (3-band "multiband" passes as sRGB) and then leaves
    // the label as it was.
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB) {
      image = image.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    }
  }
  if (image.format() == VIPS_FORMAT_USHORT) {
    image = (image / 257.0).cast(VIPS_FORMAT_UCHAR);  // 0..65535 onto 0..255
  } else if (image.format() != VIPS_FORMAT_UCHAR) {
    image = image.cast(VIPS_FORMAT_UCHAR);
  }
  context.image = image;
  return {};
}

}  // namespace image_resize::imaging::steps
