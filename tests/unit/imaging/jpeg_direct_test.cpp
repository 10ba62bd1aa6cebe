// The direct JPEG decoder (jpeg_direct.h) must give exactly jpegload's pixels where it decodes,
// and decline everything it does not decode as jpegload would, so the libvips path takes it.
#include "imaging/jpeg_direct.h"

#include <gtest/gtest.h>

#include <string>
#include <vips/vips8>

#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using test::fixture;
using vips::VImage;

class JpegDirect : public test::WithVips {};

std::string encode_jpeg(const VImage& image, vips::VOption* options = nullptr) {
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(".jpg", &buffer, &size, options);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

VImage noisy_picture(int width, int height, int bands) {
  const VImage noise =
      VImage::gaussnoise(width, height, VImage::option()->set("sigma", 50.0)->set("seed", 3))
          .gaussblur(1.0);
  const VImage ramp = VImage::xyz(width, height)[0] * (200.0 / width) + 20.0;
  VImage picture = bands == 1 ? noise + ramp : VImage::bandjoin({noise, ramp, noise + ramp});
  picture = picture.cast(VIPS_FORMAT_UCHAR);
  if (bands == 1)
    return picture.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  return picture;
}

VImage jpegload(const std::string& bytes, int shrink) {
  return VImage::new_from_buffer(bytes, "", VImage::option()->set("shrink", shrink));
}

TEST_F(JpegDirect, GivesJpegloadsPixelsAtEveryShrink) {
  for (int bands : {3, 1}) {
    // Odd sizes: the last, partial block rows and columns, and a shrink that does not divide.
    const std::string jpeg = encode_jpeg(noisy_picture(803, 611, bands));
    for (int shrink : {1, 2, 4, 8}) {
      SCOPED_TRACE("bands " + std::to_string(bands) + ", shrink " + std::to_string(shrink));
      const std::optional<VImage> direct = decode_jpeg_directly(jpeg, shrink);
      ASSERT_TRUE(direct.has_value());
      EXPECT_TRUE(test::same_image(*direct, jpegload(jpeg, shrink)));
    }
  }
}

TEST_F(JpegDirect, DecodesTheCommittedPhotoAsJpegloadDoes) {
  const std::string& jpeg = fixture("photo.jpg");
  const std::optional<VImage> direct = decode_jpeg_directly(jpeg, 2);
  ASSERT_TRUE(direct.has_value());
  EXPECT_TRUE(test::same_image(*direct, jpegload(jpeg, 2)));
}

TEST_F(JpegDirect, LeavesOrientationToTheCaller) {
  const std::string& jpeg = fixture("orientation_6.jpg");
  const std::optional<VImage> direct = decode_jpeg_directly(jpeg, 1);
  ASSERT_TRUE(direct.has_value());
  const VImage stored = jpegload(jpeg, 1);  // jpegload does not rotate either
  EXPECT_EQ(direct->width(), stored.width());
  EXPECT_EQ(direct->height(), stored.height());
}

TEST_F(JpegDirect, DeclinesWhatItDoesNotDecodeAsJpegloadDoes) {
  EXPECT_FALSE(decode_jpeg_directly(fixture("progressive.jpg"), 1).has_value());
  EXPECT_FALSE(decode_jpeg_directly(fixture("cmyk.jpg"), 1).has_value());
  EXPECT_FALSE(decode_jpeg_directly(fixture("truncated.jpg"), 1).has_value());
  EXPECT_FALSE(decode_jpeg_directly(fixture("alpha.png"), 1).has_value());
  EXPECT_FALSE(decode_jpeg_directly("", 1).has_value());
}

TEST_F(JpegDirect, DeclinesAFileLibjpegWarnsAbout) {
  std::string jpeg = encode_jpeg(noisy_picture(256, 256, 3));
  // Scribble over the middle of the entropy-coded data: libjpeg warns of corrupt data (or
  // fails), and neither may reach the caller as pixels.
  for (std::size_t i = jpeg.size() / 2; i < jpeg.size() / 2 + 64; ++i) jpeg[i] = '\xff';
  EXPECT_FALSE(decode_jpeg_directly(jpeg, 1).has_value());
}

TEST_F(JpegDirect, DeclinesImagesLargerThanItsBuffer) {
  // 2400 × 2400 × 3 bytes is above kMaxDirectJpegBytes at shrink 1, below it at shrink 2.
  const std::string jpeg =
      encode_jpeg(VImage::black(2400, 2400, VImage::option()->set("bands", 3)));
  static_assert(2400 * 2400 * 3 > kMaxDirectJpegBytes);
  EXPECT_FALSE(decode_jpeg_directly(jpeg, 1).has_value());
  EXPECT_TRUE(decode_jpeg_directly(jpeg, 2).has_value());
}

}  // namespace
}  // namespace image_resize::imaging
