// placeholder_source: the box reduce, and the direct and libvips readers agreeing.
#include "imaging/placeholder_source.h"

#include <gtest/gtest.h>

#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(ReduceToRgba, AveragesBoxesAndSpreadsGreyAndAlpha) {
  // 4x2 grey + alpha, boxes of 2: two pixels out.
  const Bytes grey_alpha{10, 255, 20, 255, 100, 0, 100, 0, 30, 255, 40, 255, 100, 0, 100, 0};
  const SmallImage small = reduce_to_rgba(grey_alpha.data(), 4, 2, 2, 8, 2);
  EXPECT_EQ(small.width, 2);
  EXPECT_EQ(small.height, 1);
  EXPECT_EQ(small.rgba, (Bytes{25, 25, 25, 255, 100, 100, 100, 0}));
}

TEST(ReduceToRgba, KeepsSmallImagesAndCoversEveryPixelOfRaggedEdges) {
  const Bytes rgb{1, 2, 3, 4, 5, 6, 7, 8, 9};  // 3x1
  SmallImage same = reduce_to_rgba(rgb.data(), 3, 1, 3, 9, 32);
  EXPECT_EQ(same.rgba, (Bytes{1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255}));
  // 65 wide: boxes of 3 give 22 pixels, the last averaging the two left over.
  Bytes wide(65 * 3);
  for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = static_cast<std::uint8_t>(i / 3);
  const SmallImage reduced = reduce_to_rgba(wide.data(), 65, 1, 3, wide.size(), 32);
  EXPECT_EQ(reduced.width, 22);
  EXPECT_EQ(reduced.rgba[21 * 4], 64);  // pixels 63 and 64: (63 + 64) / 2 rounded
}

TEST(SmallImageOf, DirectAndLibvipsReadersAgreeOnAPhoto) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const std::string& jpeg = test::fixture("photo.jpg");   // the direct decoder's
  const std::string& webp = test::fixture("photo.webp");  // libvips' thumbnail
  const auto direct = small_image_of(jpeg);
  const auto thumbnail = small_image_of(webp);
  ASSERT_TRUE(direct && thumbnail);
  EXPECT_LE(direct->width, kPlaceholderSide);
  EXPECT_LE(thumbnail->width, kPlaceholderSide);
  double direct_mean = 0;
  double thumbnail_mean = 0;
  for (std::uint8_t v : direct->rgba) direct_mean += v;
  for (std::uint8_t v : thumbnail->rgba) thumbnail_mean += v;
  direct_mean /= static_cast<double>(direct->rgba.size());
  thumbnail_mean /= static_cast<double>(thumbnail->rgba.size());
  EXPECT_NEAR(direct_mean, thumbnail_mean, 6);
}

TEST(SmallImageOf, UnreadableBytesAreNothingOrAnError) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  EXPECT_THROW(small_image_of("\xFF\xD8\xFF broken"), vips::VError);
  vips_error_clear();
}

}  // namespace
}  // namespace image_resize::imaging
