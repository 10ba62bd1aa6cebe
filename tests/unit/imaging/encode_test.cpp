// save_to_buffer and the encode step: every output format, quality, and no metadata.
#include "imaging/encode.h"

#include <gtest/gtest.h>

#include <string>

#include "imaging/format_detection.h"
#include "imaging/steps/steps.h"
#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::ImageFormat;

// A photo-like 300x200 image, decoded from the jpeg fixture, with EXIF still attached.
vips::VImage photo() {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  const std::string& jpeg = test::fixture("orientation_6.jpg");
  return vips::VImage::new_from_buffer(jpeg.data(), jpeg.size(), "").copy_memory();
}

class EncodeTest : public ::testing::TestWithParam<ImageFormat> {};

// strip_metadata then encode, as the pipeline ends. Both are needed: libvips 8.14's own strip
// option still lets webpsave write EXIF and tiffsave an orientation tag.
TEST_P(EncodeTest, WritesTheFormatWithoutMetadata) {
  Context context;
  context.image = photo();
  context.output_format = GetParam();
  ASSERT_NE(context.image.get_typeof("exif-data"), 0U) << "the input should carry EXIF";
  ASSERT_TRUE(steps::strip_metadata(context).ok());
  ASSERT_TRUE(encode(context).ok());
  const std::string& bytes = context.output;
  const core::Result<core::ImageFormat> detected = detect_format(bytes);
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(*detected, GetParam());
  const test::Decoded decoded = test::decode_output(bytes);
  EXPECT_EQ(decoded.width, 200);
  EXPECT_EQ(decoded.height, 300);
  EXPECT_TRUE(decoded.metadata.empty()) << decoded.metadata.front();
}

INSTANTIATE_TEST_SUITE_P(AllFormats, EncodeTest,
                         ::testing::Values(ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp,
                                           ImageFormat::avif, ImageFormat::heic, ImageFormat::gif,
                                           ImageFormat::tiff),
                         [](const auto& test_case) {
                           return std::string(core::to_string(test_case.param));
                         });

TEST(Encode, QualityChangesLossySize) {
  const vips::VImage image = photo();
  for (ImageFormat format :
       {ImageFormat::jpeg, ImageFormat::webp, ImageFormat::avif, ImageFormat::heic}) {
    const std::size_t low = save_to_buffer(image, format, 20).size();
    const std::size_t high = save_to_buffer(image, format, 95).size();
    EXPECT_LT(low, high) << core::to_string(format);
  }
}

TEST(Encode, StepFillsTheOutput) {
  Context context;
  context.image = photo();
  context.output_format = ImageFormat::png;
  ASSERT_TRUE(encode(context).ok());
  EXPECT_EQ(detect_format(context.output).value(), ImageFormat::png);
}

TEST(Encode, WritesEveryFrameOfAnAnimation) {
  const vips::VImage frames =
      test::animation({test::coordinate_image(20, 10, 0), test::coordinate_image(20, 10, 100),
                       test::coordinate_image(20, 10, 200)});
  for (ImageFormat format : {ImageFormat::gif, ImageFormat::webp}) {
    const test::Decoded decoded = test::decode_output(save_to_buffer(frames, format, 80));
    EXPECT_EQ(decoded.frames, 3) << core::to_string(format);
    EXPECT_EQ(decoded.height, 10) << core::to_string(format);
  }
}

}  // namespace
}  // namespace image_resize::imaging
