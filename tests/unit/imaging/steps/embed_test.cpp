// Step embed: fit=contain pads each frame, centred, with the background colour; the default
// is transparent where the output format has alpha, else white.
#include <gtest/gtest.h>

#include <string>

#include "imaging/frames.h"
#include "imaging/steps/steps.h"
#include "imaging_test_support.h"

namespace image_resize::imaging::steps {
namespace {

struct EmbedCase {
  std::string name;
  core::ImageFormat output;
  std::optional<core::Rgba> background;
  std::vector<double> corner;  // the padding pixel at (0, 0)
};

class EmbedTest : public ::testing::TestWithParam<EmbedCase> {};

TEST_P(EmbedTest, PadsWithTheBackground) {
  const EmbedCase& c = GetParam();
  Context context;
  context.spec.fit = core::Fit::contain;
  context.spec.background = c.background;
  context.output_format = c.output;
  context.geometry = {10, 5, 10, 10};
  context.image = test::coordinate_image(10, 5, 7);
  ASSERT_TRUE(embed(context).ok());
  EXPECT_EQ(context.image.width(), 10);
  EXPECT_EQ(context.image.height(), 10);
  EXPECT_EQ(context.image.getpoint(0, 0), c.corner);
  // The image sits centred: (10 - 5) / 2 = 2 rows of padding above it.
  std::vector<double> inside = context.image.getpoint(3, 3);
  inside.resize(3);
  EXPECT_EQ(inside, (std::vector<double>{3, 1, 7}));
}

using core::ImageFormat;
using core::Rgba;
INSTANTIATE_TEST_SUITE_P(
    Backgrounds, EmbedTest,
    ::testing::Values(
        EmbedCase{"png_default_transparent", ImageFormat::png, std::nullopt, {0, 0, 0, 0}},
        EmbedCase{"webp_default_transparent", ImageFormat::webp, std::nullopt, {0, 0, 0, 0}},
        EmbedCase{"jpeg_default_white", ImageFormat::jpeg, std::nullopt, {255, 255, 255}},
        EmbedCase{"png_opaque_red", ImageFormat::png, Rgba{255, 0, 0, 255}, {255, 0, 0}},
        EmbedCase{"png_half_green", ImageFormat::png, Rgba{0, 255, 0, 128}, {0, 255, 0, 128}},
        EmbedCase{"jpeg_half_green_over_white",
                  ImageFormat::jpeg,
                  Rgba{0, 255, 0, 128},
                  {127, 255, 127}}),
    [](const auto& test_case) { return test_case.param.name; });

TEST(Embed, NothingToDoForOtherFits) {
  Context context;
  context.spec.fit = core::Fit::cover;
  context.geometry = {10, 10, 10, 10};
  context.image = test::coordinate_image(10, 10);
  ASSERT_TRUE(embed(context).ok());
  EXPECT_EQ(context.image.height(), 10);
}

TEST(Embed, PadsEachFrameOfAnAnimation) {
  Context context;
  context.spec.fit = core::Fit::contain;
  context.output_format = core::ImageFormat::gif;
  context.geometry = {4, 2, 4, 4};
  context.image =
      test::animation({test::coordinate_image(4, 2, 0), test::coordinate_image(4, 2, 1)});
  ASSERT_TRUE(embed(context).ok());
  EXPECT_EQ(frame_count(context.image), 2);
  EXPECT_EQ(frame_height(context.image), 4);
  EXPECT_EQ(context.image.getpoint(0, 4), (std::vector<double>{0, 0, 0, 0}));    // frame 1 padding
  EXPECT_EQ(context.image.getpoint(1, 5), (std::vector<double>{1, 0, 1, 255}));  // frame 1 pixels
}

}  // namespace
}  // namespace image_resize::imaging::steps
