// VipsImageProcessor::resize: the output size of every fit mode, with both sides given or one.
#include <gtest/gtest.h>

#include <string>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::Fit;

struct FitCase {
  std::string name;
  std::string file;
  std::optional<int> width, height;
  Fit fit;
  int expected_width, expected_height;
};

// GoogleTest finds the printer of a test parameter by this name.
void PrintTo(  // NOLINT(readability-identifier-naming)
    const FitCase& c, std::ostream* out) {
  *out << c.name;
}

class ResizeFitTest : public ::testing::TestWithParam<FitCase> {
 protected:
  VipsImageProcessor processor_;
};

TEST_P(ResizeFitTest, GivesTheExpectedSize) {
  const FitCase& c = GetParam();
  const core::Result<ResizedImage> resized = processor_.resize(
      test::fixture(c.file), test::make_spec(c.width, c.height, c.fit, core::OutputFormat::png),
      core::Limits{});
  ASSERT_TRUE(resized.ok()) << resized.error().log_message();
  EXPECT_EQ(resized->width, c.expected_width);
  EXPECT_EQ(resized->height, c.expected_height);
  const test::Decoded decoded = test::decode_output(resized->bytes);
  EXPECT_EQ(decoded.width, c.expected_width);
  EXPECT_EQ(decoded.height, c.expected_height);
}

INSTANTIATE_TEST_SUITE_P(
    FitModes, ResizeFitTest,
    ::testing::Values(
        // photo.jpg is 300x200.
        FitCase{"fill_exact_box", "photo.jpg", 100, 100, Fit::fill, 100, 100},
        FitCase{"fill_enlarges", "photo.jpg", 600, 250, Fit::fill, 600, 250},
        FitCase{"inside_keeps_aspect", "photo.jpg", 100, 100, Fit::inside, 100, 67},
        FitCase{"inside_tall_box", "photo.jpg", 300, 50, Fit::inside, 75, 50},
        FitCase{"cover_fills_box", "photo.jpg", 100, 100, Fit::cover, 100, 100},
        FitCase{"contain_pads_to_box", "photo.jpg", 100, 100, Fit::contain, 100, 100},
        FitCase{"width_only_fill", "photo.jpg", 150, std::nullopt, Fit::fill, 150, 100},
        FitCase{"width_only_cover", "photo.jpg", 150, std::nullopt, Fit::cover, 150, 100},
        FitCase{"height_only_inside", "photo.jpg", std::nullopt, 50, Fit::inside, 75, 50},
        FitCase{"height_only_contain", "photo.jpg", std::nullopt, 50, Fit::contain, 75, 50},
        // orientation_6.jpg is stored 200x300 and shown 300x200: sizes follow what is shown.
        FitCase{"rotated_width_only", "orientation_6.jpg", 150, std::nullopt, Fit::fill, 150, 100},
        FitCase{"rotated_inside", "orientation_6.jpg", 100, 100, Fit::inside, 100, 67},
        // Animated inputs: the size is one frame's.
        FitCase{"animated_cover", "animated.gif", 50, 50, Fit::cover, 50, 50},
        FitCase{"animated_contain", "animated.gif", 50, 50, Fit::contain, 50, 50}),
    [](const auto& test_case) { return test_case.param.name; });

// Mean absolute difference per band between two images of one size.
double mean_difference(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

TEST(ResizeFit, CoverKeepsTheCentreOfThePicture) {
  VipsImageProcessor processor;
  // photo.jpg (300x200) covering 100x200: the scale is 1, so the output is the source's
  // columns 100..199, pixel for pixel.
  const auto covered = processor.resize(
      test::fixture("photo.jpg"), test::make_spec(100, 200, Fit::cover, core::OutputFormat::png),
      core::Limits{});
  ASSERT_TRUE(covered.ok());
  const vips::VImage output = vips::VImage::new_from_buffer(covered->bytes, "");
  const vips::VImage source = vips::VImage::new_from_buffer(test::fixture("photo.jpg"), "");
  EXPECT_LT(mean_difference(output, source.extract_area(100, 0, 100, 200)), 2.0);
  EXPECT_GT(mean_difference(output, source.extract_area(0, 0, 100, 200)), 20.0);
}

}  // namespace
}  // namespace image_resize::imaging
