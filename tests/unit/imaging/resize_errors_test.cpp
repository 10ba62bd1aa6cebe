// VipsImageProcessor::resize refuses cleanly: broken data is decode_failed (never a crash or a
// grey image), non-images are unsupported_image, and oversized ones image_too_large before
// anything is decoded.
#include <gtest/gtest.h>

#include <string>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::ErrorCode;

struct ErrorCase {
  std::string name;
  std::string file;  // "" = empty input
  core::OutputFormat format;
  ErrorCode expected;
};

// GoogleTest finds the printer of a test parameter by this name.
void PrintTo(  // NOLINT(readability-identifier-naming)
    const ErrorCase& c, std::ostream* out) {
  *out << c.name;
}

class ResizeErrorsTest : public ::testing::TestWithParam<ErrorCase> {
 protected:
  VipsImageProcessor processor_;
};

TEST_P(ResizeErrorsTest, FailsWithTheRightCode) {
  const ErrorCase& c = GetParam();
  const std::string& bytes = c.file.empty() ? std::string() : test::fixture(c.file);
  const core::Result<ResizedImage> resized = processor_.resize(
      bytes, test::make_spec(100, 100, core::Fit::fill, c.format), core::Limits{});
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, c.expected) << resized.error().log_message();
  EXPECT_FALSE(resized.error().public_message.empty());
}

using core::OutputFormat;
INSTANTIATE_TEST_SUITE_P(
    Inputs, ResizeErrorsTest,
    ::testing::Values(
        ErrorCase{"truncated_jpeg", "truncated.jpg", OutputFormat::same, ErrorCode::decode_failed},
        ErrorCase{"truncated_jpeg_to_webp", "truncated.jpg", OutputFormat::webp,
                  ErrorCode::decode_failed},
        ErrorCase{"truncated_png", "truncated.png", OutputFormat::same, ErrorCode::decode_failed},
        ErrorCase{"truncated_png_to_avif", "truncated.png", OutputFormat::avif,
                  ErrorCode::decode_failed},
        ErrorCase{"random_bytes", "random.bin", OutputFormat::same, ErrorCode::unsupported_image},
        ErrorCase{"svg", "vector.svg", OutputFormat::png, ErrorCode::unsupported_image},
        ErrorCase{"pdf", "document.pdf", OutputFormat::png, ErrorCode::unsupported_image},
        ErrorCase{"bmp_through_imagemagick", "tiny.bmp", OutputFormat::png,
                  ErrorCode::unsupported_image},
        ErrorCase{"empty", "", OutputFormat::png, ErrorCode::unsupported_image},
        // The bomb's pixel data is truncated too: image_too_large, not decode_failed, shows
        // the header check came first.
        ErrorCase{"decompression_bomb", "bomb.png", OutputFormat::same,
                  ErrorCode::image_too_large}),
    [](const auto& test_case) { return test_case.param.name; });

TEST(ResizeErrors, DecodeFailureKeepsLibvipsTextInternal) {
  VipsImageProcessor processor;
  const auto resized =
      processor.resize(test::fixture("truncated.jpg"), test::make_spec(50, 50), core::Limits{});
  ASSERT_FALSE(resized.ok());
  EXPECT_NE(resized.error().internal_message.find("encode: "), std::string::npos)
      << resized.error().internal_message;
  EXPECT_EQ(resized.error().public_message.find("Vips"), std::string::npos);
}

TEST(ResizeErrors, OutputOverTheSideLimit) {
  core::Limits limits;
  limits.max_output_side = 500;
  VipsImageProcessor processor;
  // Width 600 asked for directly.
  auto resized = processor.resize(test::fixture("photo.jpg"), test::make_spec(600, 10), limits);
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, ErrorCode::image_too_large);
  // A width that follows from the aspect ratio: 501 high, the 3:2 photo is 752 wide.
  resized = processor.resize(test::fixture("orientation_6.jpg"), test::make_spec(std::nullopt, 501),
                             limits);
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, ErrorCode::image_too_large);
  EXPECT_NE(resized.error().public_message.find("the limit is 500 pixels per side"),
            std::string::npos)
      << resized.error().public_message;
}

TEST(ResizeErrors, TooManyFramesForAnAnimatedOutput) {
  core::Limits limits;
  limits.max_frames = 2;
  VipsImageProcessor processor;
  const auto resized =
      processor.resize(test::fixture("animated.gif"),
                       test::make_spec(50, 50, core::Fit::fill, core::OutputFormat::gif), limits);
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, ErrorCode::image_too_large);
}

TEST(ResizeErrors, PixelLimitChecksTheHeader) {
  core::Limits limits;
  limits.max_input_pixels = 300 * 200 - 1;
  VipsImageProcessor processor;
  EXPECT_EQ(
      processor.resize(test::fixture("photo.jpg"), test::make_spec(10, 10), limits).error().code,
      ErrorCode::image_too_large);
}

}  // namespace
}  // namespace image_resize::imaging
