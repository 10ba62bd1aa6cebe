// SSIM and PSNR (ssim.h) on cases whose answer is known: real libvips on the test photos.

#include "ssim.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <vips/vips8>

#include "support/fixtures.h"

namespace image_resize::bench {
namespace {

using vips::VImage;

VImage photo() {
  static std::once_flag once;
  std::call_once(once, [] { vips_init("image-resize-bench-tests"); });
  return VImage::new_from_file(testing::fixture_image("photo.jpg").c_str());
}

VImage flat(double value) {
  return (VImage::black(64, 48, VImage::option()->set("bands", 3)) + value).cast(VIPS_FORMAT_UCHAR);
}

VImage blurred(const VImage& image, double sigma) {
  return image.gaussblur(sigma).cast(VIPS_FORMAT_UCHAR);
}

// Grain of standard deviation `sigma`, clipped to 0..255 as a saved image would be.
VImage noisy(const VImage& image, double sigma) {
  const VImage noise = VImage::gaussnoise(image.width(), image.height(),
                                          VImage::option()->set("sigma", sigma)->set("seed", 7));
  const VImage sum = image.cast(VIPS_FORMAT_FLOAT) + noise;
  return (sum < 0).ifthenelse(0.0, (sum > 255).ifthenelse(255.0, sum)).cast(VIPS_FORMAT_UCHAR);
}

TEST(SsimTest, IdenticalImagesScoreOne) {
  const VImage image = photo();
  EXPECT_NEAR(ssim(image, image), 1.0, 1e-9);
  EXPECT_TRUE(std::isinf(psnr_db(image, image)));
}

// Flat images: no contrast or structure, so SSIM is the luminance term alone,
// (2·μx·μy + C1) / (μx² + μy² + C1) with C1 = (0.01 · 255)²; and MSE = 50².
TEST(SsimTest, FlatImagesScoreTheirLuminanceTerm) {
  const double c1 = 2.55 * 2.55;
  EXPECT_NEAR(ssim(flat(100), flat(150)), (2 * 100 * 150 + c1) / (100 * 100 + 150 * 150 + c1),
              1e-6);
  EXPECT_NEAR(psnr_db(flat(100), flat(150)), 10 * std::log10(255.0 * 255.0 / 2500), 1e-9);
}

TEST(SsimTest, BlurOrNoiseScoresLowerTheMoreThereIs) {
  const VImage image = photo();
  const double light_blur = ssim(image, blurred(image, 0.6));
  const double heavy_blur = ssim(image, blurred(image, 3));
  const double noise = ssim(image, noisy(image, 25));
  EXPECT_LT(light_blur, 0.999);
  EXPECT_GT(light_blur, 0.9);
  EXPECT_LT(heavy_blur, light_blur - 0.1);
  EXPECT_GT(heavy_blur, 0);
  EXPECT_LT(noise, 0.8);
  EXPECT_GT(psnr_db(image, blurred(image, 0.6)), psnr_db(image, blurred(image, 3)));
}

TEST(SsimTest, IsSymmetric) {
  const VImage image = photo();
  const VImage other = noisy(blurred(image, 1), 10);
  EXPECT_NEAR(ssim(image, other), ssim(other, image), 1e-9);
  EXPECT_NEAR(psnr_db(image, other), psnr_db(other, image), 1e-9);
}

TEST(SsimTest, RefusesImagesOfDifferentShapes) {
  const VImage image = photo();
  EXPECT_THROW(ssim(image, image.crop(0, 0, 100, 100)), std::invalid_argument);
  EXPECT_THROW(ssim(image, image.extract_band(0)), std::invalid_argument);
  EXPECT_THROW(psnr_db(image, image.crop(0, 0, 100, 100)), std::invalid_argument);
  EXPECT_THROW(ssim(flat(1).crop(0, 0, 10, 10), flat(1).crop(0, 0, 10, 10)), std::invalid_argument);
}

}  // namespace
}  // namespace image_resize::bench
