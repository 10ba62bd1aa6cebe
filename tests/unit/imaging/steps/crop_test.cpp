// Step crop: fit=cover keeps the centre of each frame.
#include <gtest/gtest.h>

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
