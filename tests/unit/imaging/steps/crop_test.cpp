// Step crop: fit=cover keeps the part of each frame that gravity names.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imaging/frames.h"
#include "imaging/steps/steps.h"
#include "imaging_test_support.h"

namespace image_resize::imaging::steps {
namespace {

Context context_for(const vips::VImage& image, Geometry geometry) {
  Context context;
  context.spec.fit = core::Fit::cover;
  context.geometry = geometry;
  context.image = image;
  return context;
}

TEST(Crop, KeepsTheHorizontalCentre) {
  Context context = context_for(test::coordinate_image(30, 20), {30, 20, 10, 20});
  ASSERT_TRUE(crop(context).ok());
  EXPECT_EQ(context.image.width(), 10);
  EXPECT_EQ(context.image.height(), 20);
  EXPECT_EQ(context.image.getpoint(0, 0), (std::vector<double>{10, 0, 0}));
}

TEST(Crop, KeepsTheVerticalCentre) {
  Context context = context_for(test::coordinate_image(20, 31), {20, 31, 20, 10});
  ASSERT_TRUE(crop(context).ok());
  EXPECT_EQ(context.image.height(), 10);
  EXPECT_EQ(context.image.getpoint(0, 0), (std::vector<double>{0, 10, 0}));
}

struct GravityCase {
  core::Gravity gravity;
  int left, top;  // where the 10x10 window sits in the 30x20 image
};

class CropGravityTest : public ::testing::TestWithParam<GravityCase> {};

TEST_P(CropGravityTest, PlacesTheWindow) {
  Context context = context_for(test::coordinate_image(30, 20), {30, 20, 10, 10});
  context.spec.gravity = GetParam().gravity;
  ASSERT_TRUE(crop(context).ok());
  EXPECT_EQ(context.image.width(), 10);
  EXPECT_EQ(context.image.height(), 10);
  EXPECT_EQ(context.image.getpoint(0, 0),
            (std::vector<double>{static_cast<double>(GetParam().left),
                                 static_cast<double>(GetParam().top), 0}));
}

using core::Gravity;
INSTANTIATE_TEST_SUITE_P(
    Compass, CropGravityTest,
    ::testing::Values(GravityCase{Gravity::centre, 10, 5}, GravityCase{Gravity::north, 10, 0},
                      GravityCase{Gravity::south, 10, 10}, GravityCase{Gravity::east, 20, 5},
                      GravityCase{Gravity::west, 0, 5}, GravityCase{Gravity::northeast, 20, 0},
                      GravityCase{Gravity::northwest, 0, 0},
                      GravityCase{Gravity::southeast, 20, 10},
                      GravityCase{Gravity::southwest, 0, 10}),
    [](const auto& test_case) { return std::string(core::to_string(test_case.param.gravity)); });

// Grey with a saturated, detailed patch at the left edge: the centre window cuts it.
vips::VImage grey_with_patch_on_the_left() {
  const vips::VImage grey = vips::VImage::black(200, 100, vips::VImage::option()->set("bands", 3))
                                .new_from_image({128, 128, 128})
                                .cast(VIPS_FORMAT_UCHAR);
  const vips::VImage xy = vips::VImage::xyz(40, 40);
  const vips::VImage checks = (xy[0] & 4) ^ (xy[1] & 4);
  const vips::VImage patch =
      checks.ifthenelse(std::vector<double>{255, 0, 0}, std::vector<double>{255, 230, 0})
          .cast(VIPS_FORMAT_UCHAR);
  return grey.insert(patch, 5, 30)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// Where the patch's red is in a cropped window, if anywhere: its share of the window's pixels.
double share_of_patch(const vips::VImage& window) {
  const vips::VImage is_patch = (window[0] > 200) & (window[2] < 50);
  return is_patch.avg() / 255.0;
}

TEST(Crop, AttentionKeepsTheDetailThatCentreCuts) {
  const vips::VImage image = grey_with_patch_on_the_left();
  Context centred = context_for(image, {200, 100, 100, 100});
  ASSERT_TRUE(crop(centred).ok());
  EXPECT_EQ(share_of_patch(centred.image), 0.0);

  for (Gravity smart : {Gravity::attention, Gravity::entropy}) {
    Context context = context_for(image, {200, 100, 100, 100});
    context.spec.gravity = smart;
    ASSERT_TRUE(crop(context).ok());
    EXPECT_EQ(context.image.width(), 100);
    EXPECT_EQ(context.image.height(), 100);
    EXPECT_NEAR(share_of_patch(context.image), 0.16, 0.01) << core::to_string(smart);
  }
}

TEST(Crop, NothingToDoWhenScaledIsTarget) {
  const vips::VImage image = test::coordinate_image(20, 20);
  Context context = context_for(image, {20, 20, 20, 20});
  ASSERT_TRUE(crop(context).ok());
  EXPECT_EQ(context.image.get_image(), image.get_image());
}

TEST(Crop, CropsEachFrameOfAnAnimation) {
  const vips::VImage frames =
      test::animation({test::coordinate_image(30, 20, 0), test::coordinate_image(30, 20, 1),
                       test::coordinate_image(30, 20, 2)});
  Context context = context_for(frames, {30, 20, 10, 10});
  ASSERT_TRUE(crop(context).ok());
  EXPECT_EQ(frame_count(context.image), 3);
  EXPECT_EQ(frame_height(context.image), 10);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(context.image.getpoint(0, i * 10),
              (std::vector<double>{10, 5, static_cast<double>(i)}))
        << "frame " << i;
  }
}

}  // namespace
}  // namespace image_resize::imaging::steps
