// Step strip_metadata: only the frame layout and timing survive.
#include <gtest/gtest.h>

#include <string>

#include "imaging/steps/steps.h"
#include "imaging_test_support.h"

namespace image_resize::imaging::steps {
namespace {

bool has_field(const vips::VImage& image, const char* name) { return image.get_typeof(name) != 0; }

TEST(StripMetadata, DropsPrivacyAndColourFieldsKeepsAnimation) {
  vips::VImage image = test::coordinate_image(4, 8).copy();
  static constexpr char kExif[] = "Exif\0\0fake";
  image.set("exif-data", nullptr, const_cast<char*>(kExif), sizeof(kExif));
  image.set("exif-ifd0-Make", "a camera with a serial number");
  image.set("xmp-data", nullptr, const_cast<char*>(kExif), sizeof(kExif));
  image.set("orientation", 6);
  image.set("palette-bit-depth", 4);
  image.set("page-height", 4);
  image.set("delay", std::vector<int>{100, 100});
  image.set("loop", 0);

  Context context;
  context.image = image;
  ASSERT_TRUE(strip_metadata(context).ok());
  for (const char* gone :
       {"exif-data", "exif-ifd0-Make", "xmp-data", "orientation", "palette-bit-depth"}) {
    EXPECT_FALSE(has_field(context.image, gone)) << gone;
  }
  for (const char* kept : {"page-height", "delay", "loop"}) {
    EXPECT_TRUE(has_field(context.image, kept)) << kept;
  }
  EXPECT_EQ(context.image.width(), 4);
  // The input image is not changed: the step works on a copy.
  EXPECT_TRUE(has_field(image, "exif-data"));
}

}  // namespace
}  // namespace image_resize::imaging::steps
