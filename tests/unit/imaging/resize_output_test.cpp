// VipsImageProcessor::resize: what the output must be beyond its size — upright, sRGB, alpha
// where the format has it, the contain background, quality, and animation.
#include <gtest/gtest.h>

#include <string>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"
#include "support/image_similarity.h"

namespace image_resize::imaging {
namespace {

using core::Fit;
using core::OutputFormat;

// Resizes a fixture by its name.
class ResizeOutputTest : public test::ProcessorTest {
 protected:
  ResizedImage resize(const std::string& file, const core::ResizeSpec& spec) {
    return ProcessorTest::resize(test::fixture(file), spec);
  }
};

TEST_F(ResizeOutputTest, AutoRotatesByExifOrientation) {
  const ResizedImage upright =
      resize("orientation_6.jpg", test::make_spec(150, 100, Fit::fill, OutputFormat::png));
  EXPECT_TRUE(testing::images_similar(upright.bytes, test::fixture("reference.png")));
  // The matcher does tell the stored (unrotated) pixels apart from the reference.
  const vips::VImage stored = vips::VImage::new_from_buffer(
      test::fixture("orientation_6.jpg"), "", vips::VImage::option()->set("autorotate", false));
  EXPECT_FALSE(testing::images_similar(test::to_png(stored), test::fixture("reference.png"), 30));
  EXPECT_TRUE(test::decode_output(upright.bytes).metadata.empty());
}

TEST_F(ResizeOutputTest, CmykBecomesSrgb) {
  const ResizedImage out =
      resize("cmyk.jpg", test::make_spec(90, 60, Fit::fill, OutputFormat::jpeg));
  const test::Decoded decoded = test::decode_output(out.bytes);
  EXPECT_EQ(decoded.interpretation, VIPS_INTERPRETATION_sRGB);
  EXPECT_EQ(decoded.bands, 3);
  EXPECT_TRUE(testing::images_similar(out.bytes, test::fixture("reference.png")));
}

TEST_F(ResizeOutputTest, EmbeddedProfileIsAppliedToReachSrgb) {
  // display_p3.png stores sRGB's pure red as P3 values, about (228, 50, 36), with its profile.
  const ResizedImage out =
      resize("display_p3.png", test::make_spec(16, 16, Fit::fill, OutputFormat::png));
  const std::vector<double> centre = test::pixel_at(out.bytes, 8, 8);
  ASSERT_GE(centre.size(), 3U);
  // lcms' round trip is not exact; unconverted, the pixel would be 27, 50 and 36 away.
  EXPECT_NEAR(centre[0], 255, 12);
  EXPECT_NEAR(centre[1], 0, 12);
  EXPECT_NEAR(centre[2], 0, 12);
  EXPECT_TRUE(test::decode_output(out.bytes).metadata.empty());  // the profile is not kept
}

TEST_F(ResizeOutputTest, ImageWithoutProfileKeepsItsColours) {
  // No profile: no colour transform, so a scale of 1 gives back the source's pixels.
  const ResizedImage out =
      resize("photo.tif", test::make_spec(300, 200, Fit::fill, OutputFormat::png));
  const vips::VImage output = vips::VImage::new_from_buffer(out.bytes, "");
  const vips::VImage source = vips::VImage::new_from_buffer(test::fixture("photo.tif"), "");
  EXPECT_LT((output.cast(VIPS_FORMAT_FLOAT) - source.cast(VIPS_FORMAT_FLOAT)).abs().avg(), 0.5);
}

TEST_F(ResizeOutputTest, SixteenBitBecomesEightBit) {
  const ResizedImage out =
      resize("rgb16.png", test::make_spec(45, 30, Fit::fill, OutputFormat::png));
  EXPECT_EQ(test::decode_output(out.bytes).band_format, VIPS_FORMAT_UCHAR);
}

TEST_F(ResizeOutputTest, PngKeepsAlpha) {
  const ResizedImage out =
      resize("alpha.png", test::make_spec(75, 50, Fit::fill, OutputFormat::png));
  EXPECT_TRUE(test::decode_output(out.bytes).has_alpha);
  EXPECT_EQ(test::pixel_at(out.bytes, 0, 0).at(3), 0.0);      // outside the ellipse
  EXPECT_EQ(test::pixel_at(out.bytes, 37, 25).at(3), 255.0);  // its centre
}

TEST_F(ResizeOutputTest, JpegOfAlphaIsFlattenedOnWhite) {
  const ResizedImage out =
      resize("alpha.png", test::make_spec(75, 50, Fit::fill, OutputFormat::jpeg));
  EXPECT_EQ(test::decode_output(out.bytes).bands, 3);
  for (double band : test::pixel_at(out.bytes, 0, 0)) EXPECT_NEAR(band, 255.0, 3.0);
}

TEST_F(ResizeOutputTest, JpegOfAlphaIsFlattenedOnTheBackground) {
  core::ResizeSpec spec = test::make_spec(75, 50, Fit::fill, OutputFormat::jpeg);
  spec.background = core::Rgba{0, 0, 200, 255};
  const std::vector<double> corner = test::pixel_at(resize("alpha.png", spec).bytes, 0, 0);
  // jpeg moves strong colours a little.
  EXPECT_NEAR(corner.at(0), 0, 12);
  EXPECT_NEAR(corner.at(2), 200, 12);
}

struct BackgroundCase {
  std::string name;
  OutputFormat format;
  std::optional<core::Rgba> background;
  std::vector<double> corner;  // (0, 0) is padding: photo.jpg 300x200 contained in 100x100
  double tolerance;
};

// GoogleTest finds the printer of a test parameter by this name.
void PrintTo(  // NOLINT(readability-identifier-naming)
    const BackgroundCase& c, std::ostream* out) {
  *out << c.name;
}

class ContainBackgroundTest : public ResizeOutputTest,
                              public ::testing::WithParamInterface<BackgroundCase> {};

TEST_P(ContainBackgroundTest, CornerPixelIsTheBackground) {
  const BackgroundCase& c = GetParam();
  core::ResizeSpec spec = test::make_spec(100, 100, Fit::contain, c.format);
  spec.background = c.background;
  const std::vector<double> corner = test::pixel_at(resize("photo.jpg", spec).bytes, 0, 0);
  ASSERT_EQ(corner.size(), c.corner.size());
  for (std::size_t i = 0; i < corner.size(); ++i)
    EXPECT_NEAR(corner[i], c.corner[i], c.tolerance) << "band " << i;
}

INSTANTIATE_TEST_SUITE_P(
    Backgrounds, ContainBackgroundTest,
    ::testing::Values(
        BackgroundCase{"png_default_transparent", OutputFormat::png, std::nullopt, {0, 0, 0, 0}, 0},
        BackgroundCase{"jpeg_default_white", OutputFormat::jpeg, std::nullopt, {255, 255, 255}, 3},
        BackgroundCase{"png_red", OutputFormat::png, core::Rgba{255, 0, 0, 255}, {255, 0, 0}, 0},
        BackgroundCase{"png_alpha_respected",
                       OutputFormat::png,
                       core::Rgba{0, 0, 255, 64},
                       {0, 0, 255, 64},
                       0},
        BackgroundCase{
            "webp_default_transparent", OutputFormat::webp, std::nullopt, {0, 0, 0, 0}, 0},
        BackgroundCase{"jpeg_red", OutputFormat::jpeg, core::Rgba{255, 0, 0, 255}, {254, 0, 0}, 3}),
    [](const auto& test_case) { return test_case.param.name; });

TEST_F(ResizeOutputTest, QualityChangesJpegSize) {
  core::ResizeSpec spec = test::make_spec(300, 200, Fit::fill, OutputFormat::jpeg);
  spec.quality = 20;
  const std::size_t low = resize("photo.jpg", spec).bytes.size();
  spec.quality = 95;
  const std::size_t high = resize("photo.jpg", spec).bytes.size();
  EXPECT_LT(low * 2, high);
}

TEST_F(ResizeOutputTest, AnimationKeptForGifAndWebp) {
  for (const auto& [file, format] :
       {std::pair{"animated.gif", OutputFormat::gif}, std::pair{"animated.gif", OutputFormat::webp},
        std::pair{"animated.webp", OutputFormat::gif},
        std::pair{"animated.webp", OutputFormat::same}}) {
    const ResizedImage out = resize(file, test::make_spec(60, 40, Fit::fill, format));
    const test::Decoded decoded = test::decode_output(out.bytes);
    EXPECT_EQ(decoded.frames, 4) << file << " to " << core::to_string(format);
    EXPECT_EQ(decoded.height, 40) << file << " to " << core::to_string(format);
    EXPECT_EQ(out.height, 40);
  }
}

TEST_F(ResizeOutputTest, FirstFrameOnlyForStillFormats) {
  for (OutputFormat format :
       {OutputFormat::png, OutputFormat::jpeg, OutputFormat::avif, OutputFormat::tiff}) {
    const ResizedImage out = resize("animated.gif", test::make_spec(60, 40, Fit::fill, format));
    EXPECT_EQ(test::decode_output(out.bytes).frames, 1) << core::to_string(format);
    EXPECT_EQ(out.height, 40);
  }
}

}  // namespace
}  // namespace image_resize::imaging
