// Step to_srgb: every colour space and depth comes out as 8-bit sRGB.
#include <gtest/gtest.h>

#include <string>

#include "imaging/steps/steps.h"
#include "imaging_test_support.h"

namespace image_resize::imaging::steps {
namespace {

struct SrgbCase {
  std::string name;
  int bands;
  VipsInterpretation interpretation;
  VipsBandFormat band_format;
  double value;  // every band
  int expected_bands;
  double expected_first_band;
};

class ToSrgbTest : public ::testing::TestWithParam<SrgbCase> {};

TEST_P(ToSrgbTest, GivesEightBitSrgb) {
  const SrgbCase& c = GetParam();
  test::coordinate_image(1, 1);  // starts libvips
  Context context;
  context.image = vips::VImage::black(4, 4, vips::VImage::option()->set("bands", c.bands))
                      .linear(1.0, c.value)
                      .cast(c.band_format)
                      .copy(vips::VImage::option()->set("interpretation", c.interpretation));
  ASSERT_TRUE(to_srgb(context).ok());
  EXPECT_EQ(context.image.interpretation(), VIPS_INTERPRETATION_sRGB);
  EXPECT_EQ(context.image.format(), VIPS_FORMAT_UCHAR);
  EXPECT_EQ(context.image.bands(), c.expected_bands);
  EXPECT_NEAR(context.image.getpoint(1, 1)[0], c.expected_first_band, 2.0);
}

INSTANTIATE_TEST_SUITE_P(
    ColourSpaces, ToSrgbTest,
    ::testing::Values(
        SrgbCase{"srgb_unchanged", 3, VIPS_INTERPRETATION_sRGB, VIPS_FORMAT_UCHAR, 90, 3, 90},
        SrgbCase{"srgb_with_alpha", 4, VIPS_INTERPRETATION_sRGB, VIPS_FORMAT_UCHAR, 90, 4, 90},
        SrgbCase{"rgb16_white", 3, VIPS_INTERPRETATION_RGB16, VIPS_FORMAT_USHORT, 65535, 3, 255},
        SrgbCase{"grey_to_three_bands", 1, VIPS_INTERPRETATION_B_W, VIPS_FORMAT_UCHAR, 200, 3, 200},
        SrgbCase{"grey_with_alpha", 2, VIPS_INTERPRETATION_B_W, VIPS_FORMAT_UCHAR, 200, 4, 200},
        SrgbCase{"cmyk_no_ink_is_white", 4, VIPS_INTERPRETATION_CMYK, VIPS_FORMAT_UCHAR, 0, 3, 255},
        SrgbCase{"multiband_taken_as_rgb", 3, VIPS_INTERPRETATION_MULTIBAND, VIPS_FORMAT_UCHAR, 70,
                 3, 70},
        SrgbCase{"float_srgb_cast", 3, VIPS_INTERPRETATION_sRGB, VIPS_FORMAT_FLOAT, 120, 3, 120}),
    [](const auto& test_case) { return test_case.param.name; });

}  // namespace
}  // namespace image_resize::imaging::steps
