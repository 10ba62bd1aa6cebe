// Step flatten: transparency is composited onto the background only for formats without alpha.
#include <gtest/gtest.h>

#include "imaging/steps/steps.h"
#include "imaging_test_support.h"

namespace image_resize::imaging::steps {
namespace {

// 4x4, colour (10, 20, 30), fully transparent.
vips::VImage transparent_image() {
  test::coordinate_image(1, 1);  // starts libvips
  return vips::VImage::black(4, 4, vips::VImage::option()->set("bands", 3))
      .linear({1, 1, 1}, {10, 20, 30})
      .bandjoin_const({0})
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

TEST(Flatten, JpegGetsWhiteBehindTransparency) {
  Context context;
  context.output_format = core::ImageFormat::jpeg;
  context.image = transparent_image();
  ASSERT_TRUE(flatten(context).ok());
  EXPECT_EQ(context.image.bands(), 3);
  EXPECT_EQ(context.image.format(), VIPS_FORMAT_UCHAR);
  EXPECT_EQ(context.image.getpoint(0, 0), (std::vector<double>{255, 255, 255}));
}

TEST(Flatten, JpegUsesTheRequestedBackground) {
  Context context;
  context.output_format = core::ImageFormat::jpeg;
  context.spec.background = core::Rgba{0, 0, 255, 255};
  context.image = transparent_image();
  ASSERT_TRUE(flatten(context).ok());
  EXPECT_EQ(context.image.getpoint(0, 0), (std::vector<double>{0, 0, 255}));
}

TEST(Flatten, FormatsWithAlphaKeepIt) {
  for (core::ImageFormat format : {core::ImageFormat::png, core::ImageFormat::webp,
                                   core::ImageFormat::avif, core::ImageFormat::gif}) {
    Context context;
    context.output_format = format;
    context.image = transparent_image();
    ASSERT_TRUE(flatten(context).ok());
    EXPECT_EQ(context.image.bands(), 4) << core::to_string(format);
  }
}

}  // namespace
}  // namespace image_resize::imaging::steps
