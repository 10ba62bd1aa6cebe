// VipsImageProcessor::resize with gravity, dpr, progressive and lossless, on generated images
// sent as PNG and JPEG (the direct decoders and shrink-on-load included).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::Fit;
using core::Gravity;
using core::OutputFormat;

vips::VImage srgb(const vips::VImage& image) {
  return image.cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

vips::VImage flat(int width, int height, const std::vector<double>& colour) {
  return srgb(vips::VImage::black(width, height, vips::VImage::option()->set("bands", 3))
                  .new_from_image(colour));
}

// 400x200 grey with a saturated red/yellow checkerboard near the left edge.
vips::VImage grey_with_patch_on_the_left() {
  const vips::VImage xy = vips::VImage::xyz(80, 80);
  const vips::VImage checks = (xy[0] & 8) ^ (xy[1] & 8);
  const vips::VImage patch =
      srgb(checks.ifthenelse(std::vector<double>{255, 0, 0}, std::vector<double>{255, 230, 0}));
  return flat(400, 200, {128, 128, 128}).insert(patch, 10, 60);
}

// Decoded now: libvips reads the buffer lazily, and `bytes` may be a temporary.
vips::VImage decoded(const std::string& bytes) {
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

// The share of the image's pixels that are the patch's (red high, blue low).
double share_of_patch(const vips::VImage& image) {
  return ((image[0] > 200) & (image[2] < 60)).avg() / 255.0;
}

using ResizeOptionsTest = test::ProcessorTest;

TEST_F(ResizeOptionsTest, AttentionKeepsTheDetailThatCentreCuts) {
  const vips::VImage image = grey_with_patch_on_the_left();
  for (const std::string& input : {test::to_png(image), test::to_jpeg(image)}) {
    core::ResizeSpec spec = test::make_spec(100, 100, Fit::cover, OutputFormat::png);
    const ResizedImage centred = resize(input, spec);
    EXPECT_LT(share_of_patch(decoded(centred.bytes)), 0.01);
    for (Gravity smart : {Gravity::attention, Gravity::entropy}) {
      spec.gravity = smart;
      const ResizedImage kept = resize(input, spec);
      EXPECT_EQ(kept.width, 100);
      EXPECT_EQ(kept.height, 100);
      EXPECT_GT(share_of_patch(decoded(kept.bytes)), 0.1) << core::to_string(smart);
    }
  }
}

struct EdgeCase {
  Gravity gravity;
  bool wide;            // a 200x100 image red | blue, else 100x200 red over blue
  double expected_red;  // the output's red channel: 255 where the red half is kept
};

class ResizeGravityEdgeTest : public ResizeOptionsTest,
                              public ::testing::WithParamInterface<EdgeCase> {};

TEST_P(ResizeGravityEdgeTest, KeepsTheEdgeItNames) {
  const EdgeCase& c = GetParam();
  const vips::VImage red = flat(100, 100, {255, 0, 0});
  const vips::VImage blue = flat(100, 100, {0, 0, 255});
  const vips::VImage image =
      c.wide ? red.join(blue, VIPS_DIRECTION_HORIZONTAL) : red.join(blue, VIPS_DIRECTION_VERTICAL);
  core::ResizeSpec spec = test::make_spec(50, 50, Fit::cover, OutputFormat::png);
  spec.gravity = c.gravity;
  const ResizedImage out = resize(test::to_png(image), spec);
  const vips::VImage result = decoded(out.bytes);
  EXPECT_EQ(result.width(), 50);
  EXPECT_EQ(result.height(), 50);
  EXPECT_NEAR(result[0].avg(), c.expected_red, 1.0);
}

INSTANTIATE_TEST_SUITE_P(Compass, ResizeGravityEdgeTest,
                         ::testing::Values(EdgeCase{Gravity::west, true, 255},
                                           EdgeCase{Gravity::east, true, 0},
                                           EdgeCase{Gravity::north, false, 255},
                                           EdgeCase{Gravity::south, false, 0},
                                           EdgeCase{Gravity::northwest, true, 255},
                                           EdgeCase{Gravity::southeast, false, 0}),
                         [](const auto& test_case) {
                           return std::string(core::to_string(test_case.param.gravity)) +
                                  (test_case.param.wide ? "_wide" : "_tall");
                         });

TEST_F(ResizeOptionsTest, GravityHasNoEffectWithoutCover) {
  const std::string input = test::to_png(grey_with_patch_on_the_left());
  core::ResizeSpec spec = test::make_spec(100, 100, Fit::contain, OutputFormat::png);
  const ResizedImage centred = resize(input, spec);
  spec.gravity = Gravity::east;
  EXPECT_EQ(resize(input, spec).bytes, centred.bytes);
}

TEST_F(ResizeOptionsTest, DprMultipliesTheSize) {
  const std::string& photo = test::fixture("photo.jpg");  // 300x200
  core::ResizeSpec spec = test::make_spec(100, std::nullopt, Fit::fill, OutputFormat::png);
  spec.dpr = 2;
  const ResizedImage wide = resize(photo, spec);
  EXPECT_EQ(wide.width, 200);
  EXPECT_EQ(wide.height, 133);
  EXPECT_EQ(test::decode_output(wide.bytes).width, 200);

  spec = test::make_spec(50, 40, Fit::cover, OutputFormat::jpeg);
  spec.dpr = 3;
  const test::Decoded covered = test::decode_output(resize(photo, spec).bytes);
  EXPECT_EQ(covered.width, 150);
  EXPECT_EQ(covered.height, 120);
}

bool interlaced(const std::string& bytes) {
  const vips::VImage image = decoded(bytes);
  return image.get_typeof("interlaced") != 0 && image.get_int("interlaced") != 0;
}

TEST_F(ResizeOptionsTest, ProgressiveJpegAndInterlacedPng) {
  const std::string& photo = test::fixture("photo.jpg");
  for (OutputFormat format : {OutputFormat::jpeg, OutputFormat::png}) {
    core::ResizeSpec spec = test::make_spec(120, std::nullopt, Fit::fill, format);
    EXPECT_FALSE(interlaced(resize(photo, spec).bytes)) << core::to_string(format);
    spec.progressive = true;
    EXPECT_TRUE(interlaced(resize(photo, spec).bytes)) << core::to_string(format);
  }
}

TEST_F(ResizeOptionsTest, LosslessWebpHasThePixelsOfThePngOutput) {
  const std::string& photo = test::fixture("photo.jpg");
  core::ResizeSpec spec = test::make_spec(120, std::nullopt, Fit::fill, OutputFormat::png);
  const vips::VImage png = decoded(resize(photo, spec).bytes);
  spec.format = OutputFormat::webp;
  const vips::VImage lossy = decoded(resize(photo, spec).bytes);
  spec.lossless = true;
  const vips::VImage lossless = decoded(resize(photo, spec).bytes);
  EXPECT_GT(test::largest_difference(lossy, png), 0.0);
  EXPECT_EQ(test::largest_difference(lossless, png), 0.0);
}

}  // namespace
}  // namespace image_resize::imaging
