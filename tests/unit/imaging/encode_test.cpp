// save_to_buffer and the encode step: every output format, quality, progressive and lossless,
// and no metadata.
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

// libvips sets "interlaced" when a jpeg is progressive or a png/gif is interlaced.
bool interlaced(const std::string& bytes) {
  const vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
  return image.get_typeof("interlaced") != 0 && image.get_int("interlaced") != 0;
}

// Whether a JPEG's start-of-frame marker, found by walking the marker segments after SOI, is
// SOF2 (progressive) rather than SOF0/SOF1 (baseline).
bool has_sof2_marker(const std::string& jpeg) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(jpeg[at]); };
  std::size_t at = 2;
  while (at + 4 <= jpeg.size() && byte(at) == 0xFF) {
    const unsigned char marker = byte(at + 1);
    const bool start_of_frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (start_of_frame) return marker == 0xC2;
    at += 2 + (static_cast<std::size_t>(byte(at + 2)) << 8 | byte(at + 3));
  }
  return false;
}

// The interlace bit of a GIF's first image descriptor (libvips' gifload does not report it):
// skips the header, the global colour table and the extension blocks before it.
bool gif_interlaced(const std::string& gif) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(gif.at(at)); };
  std::size_t at = 13;
  if ((byte(10) & 0x80) != 0) at += 3 * (std::size_t{2} << (byte(10) & 0x07));
  while (byte(at) == 0x21) {  // extension: label, then sub-blocks up to an empty one
    at += 2;
    while (byte(at) != 0) at += byte(at) + 1;
    ++at;
  }
  return byte(at) == 0x2C && (byte(at + 9) & 0x40) != 0;
}

TEST(Encode, ProgressiveJpegAndInterlacedPngAndGif) {
  const vips::VImage image = photo();
  const std::string baseline = save_to_buffer(image, ImageFormat::jpeg, 80);
  const std::string progressive =
      save_to_buffer(image, ImageFormat::jpeg, 80, {.progressive = true, .lossless = false});
  EXPECT_FALSE(has_sof2_marker(baseline));
  EXPECT_TRUE(has_sof2_marker(progressive));
  EXPECT_TRUE(interlaced(progressive));
  EXPECT_FALSE(interlaced(save_to_buffer(image, ImageFormat::png, 80)));
  EXPECT_TRUE(interlaced(save_to_buffer(image, ImageFormat::png, 80, {.progressive = true})));
  EXPECT_FALSE(gif_interlaced(save_to_buffer(image, ImageFormat::gif, 80)));
  EXPECT_TRUE(gif_interlaced(save_to_buffer(image, ImageFormat::gif, 80, {.progressive = true})));
}

TEST(Encode, LosslessWebpDecodesToTheSamePixels) {
  const vips::VImage image = photo().autorot();
  const std::string lossy = save_to_buffer(image, ImageFormat::webp, 80);
  const std::string lossless = save_to_buffer(image, ImageFormat::webp, 80, {.lossless = true});
  const auto decoded = [](const std::string& bytes) {
    return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
  };
  EXPECT_GT(test::largest_difference(decoded(lossy), image), 0.0);
  EXPECT_TRUE(test::same_image(
      decoded(lossless).copy(vips::VImage::option()->set("interpretation", image.interpretation())),
      image));
}

TEST(Encode, LosslessAvifIsNearerThanLossy) {
  const vips::VImage image = photo().autorot();
  const auto difference = [&](const std::string& bytes) {
    const vips::VImage back = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    return (back.cast(VIPS_FORMAT_FLOAT) - image.cast(VIPS_FORMAT_FLOAT)).abs().avg();
  };
  const double lossy = difference(save_to_buffer(image, ImageFormat::avif, 50));
  const double lossless =
      difference(save_to_buffer(image, ImageFormat::avif, 50, {.lossless = true}));
  EXPECT_LT(lossless, lossy);
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
