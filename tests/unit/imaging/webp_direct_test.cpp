// The still-WebP path (webp_direct.h) must give exactly webpload's pixels at the size
// thumbnail's shrink-on-load asks for, and decline what it does not decode, so that the libvips
// path takes it.
#include "imaging/webp_direct.h"

#include <gtest/gtest.h>

#include <string>
#include <vips/vips8>

#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using test::fixture;
using vips::VImage;

class WebpDirect : public test::WithVips {};

VImage noisy_picture(int width, int height, bool alpha) {
  const VImage noise =
      VImage::gaussnoise(width, height, VImage::option()->set("sigma", 50.0)->set("seed", 7))
          .gaussblur(1.0);
  const VImage ramp = VImage::xyz(width, height)[0] * (200.0 / width) + 20.0;
  VImage picture = VImage::bandjoin({noise + 128, ramp, noise + ramp});
  if (alpha) picture = picture.bandjoin(VImage::xyz(width, height)[1] * (255.0 / height));
  return picture.cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

VImage webpload(const std::string& bytes, double scale) {
  return VImage::new_from_buffer(bytes, "", VImage::option()->set("scale", scale));
}

TEST(WebpShrinkOnLoad, TakesTheSmallerShrinkAndNeverScalesUp) {
  const WebpScaledSize fill = webp_shrink_on_load(1920, 1080, 400, 300);  // 4.8 and 3.6
  EXPECT_EQ(fill.width, 533);
  EXPECT_EQ(fill.height, 300);
  EXPECT_TRUE(fill.scaled());
  const WebpScaledSize up = webp_shrink_on_load(300, 200, 600, 100);
  EXPECT_EQ(up.width, 300);
  EXPECT_EQ(up.height, 200);
  EXPECT_FALSE(up.scaled());
  EXPECT_FALSE(webp_shrink_on_load(300, 200, 300, 200).scaled());
}

TEST_F(WebpDirect, GivesWebploadsPixelsScaledOrNot) {
  for (bool alpha : {false, true}) {
    for (bool lossless : {false, true}) {
      // Odd sizes, so that the scaled size rounds.
      const std::string webp = test::to_webp(noisy_picture(803, 611, alpha), lossless);
      for (int target : {803, 700, 401, 120, 7}) {
        SCOPED_TRACE(std::string(alpha ? "alpha" : "opaque") + (lossless ? " lossless" : "") +
                     ", target width " + std::to_string(target));
        const WebpScaledSize size = webp_shrink_on_load(803, 611, target, target * 611 / 803);
        const std::optional<VImage> direct = decode_webp_directly(webp, size);
        ASSERT_TRUE(direct.has_value());
        EXPECT_TRUE(test::same_image(*direct, webpload(webp, size.scale)));
      }
    }
  }
}

TEST_F(WebpDirect, DecodesTheCommittedPhotoAsWebploadDoes) {
  const std::string& webp = fixture("photo.webp");
  const WebpScaledSize size = webp_shrink_on_load(300, 200, 61, 43);
  const std::optional<VImage> direct = decode_webp_directly(webp, size);
  ASSERT_TRUE(direct.has_value());
  EXPECT_TRUE(test::same_image(*direct, webpload(webp, size.scale)));
}

TEST_F(WebpDirect, DeclinesWhatItDoesNotDecode) {
  const WebpScaledSize whole{300, 200, 1.0};
  EXPECT_FALSE(decode_webp_directly(fixture("animated.webp"), {4, 4, 0.5}).has_value());
  const std::string& photo = fixture("photo.webp");
  EXPECT_FALSE(decode_webp_directly(photo.substr(0, photo.size() / 2), whole).has_value());
  EXPECT_FALSE(decode_webp_directly(fixture("photo.jpg"), whole).has_value());
  EXPECT_FALSE(decode_webp_directly("", whole).has_value());
  // A size that is not the image's when unscaled, or larger than it when scaled.
  EXPECT_FALSE(decode_webp_directly(photo, {299, 200, 1.0}).has_value());
  EXPECT_FALSE(decode_webp_directly(photo, {600, 400, 0.5}).has_value());
}

}  // namespace
}  // namespace image_resize::imaging
