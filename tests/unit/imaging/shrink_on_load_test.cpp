// Our JPEG shrink-on-load (jpeg_shrink_on_load) loads with a larger libjpeg shrink than libvips
// 8.14's thumbnail would, then finishes with thumbnail's lanczos3 reduce. This holds it to "the
// same picture": against the ideal (a full decode and one lanczos3 resize), its output must be
// as close as a re-encode is: PSNR over 40 dB. (A dHash says little here: on this noisy
// content a few of its bits flip between any two good resizes.)
#include <gtest/gtest.h>

#include <cmath>
#include <vips/vips8>

#include "imaging/decode.h"
#include "imaging/geometry.h"
#include "imaging/vips_blob.h"
#include "imaging/vips_image_processor.h"
#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using vips::VImage;

// Photo-like detail at every scale: blurred noise (texture down to two pixels), a sine pattern
// and smooth gradients. The worst case for a box filter like libjpeg's DCT scaling.
std::string detailed_jpeg(int width, int height) {
  const VImage noise =
      VImage::gaussnoise(width, height, VImage::option()->set("sigma", 60.0)->set("seed", 7))
          .gaussblur(1.5);
  const VImage xy = VImage::xyz(width, height);
  const VImage red = noise + (xy[0] * 15.0).sin() * 60.0;  // stripes 24 pixels apart
  const VImage green = xy[1] * (200.0 / height) + 20.0;
  const VImage rgb = VImage::bandjoin({red, green, noise}).cast(VIPS_FORMAT_UCHAR);
  void* buffer = nullptr;
  std::size_t size = 0;
  rgb.write_to_buffer(".jpg", &buffer, &size, VImage::option()->set("Q", 90));
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

double psnr(const VImage& a, const VImage& b) {
  const VImage difference = a.cast(VIPS_FORMAT_DOUBLE) - b.cast(VIPS_FORMAT_DOUBLE);
  const double mean_square = (difference * difference).avg();
  return 10.0 * std::log10(255.0 * 255.0 / std::max(mean_square, 1e-9));
}

VImage png_pixels(const std::string& png) { return VImage::new_from_buffer(png, ""); }

struct Case {
  int source_width, source_height, width, height;
  int our_shrink, libvips_shrink;
};

class ShrinkOnLoad : public ::testing::TestWithParam<Case> {};

TEST_P(ShrinkOnLoad, LoadsSmallerThanLibvipsForTheSamePicture) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const Case c = GetParam();
  const std::string jpeg = detailed_jpeg(c.source_width, c.source_height);
  SourceInfo source;
  source.width = c.source_width;
  source.height = c.source_height;
  core::ResizeSpec spec =
      test::make_spec(c.width, c.height, core::Fit::fill, core::OutputFormat::png);
  const Geometry geometry = plan_geometry(c.source_width, c.source_height, spec);
  EXPECT_EQ(jpeg_shrink_on_load(source, geometry), c.our_shrink);

  const VImage full = VImage::new_from_buffer(jpeg, "");
  const VImage ideal =
      full.resize(static_cast<double>(c.width) / c.source_width,
                  VImage::option()
                      ->set("vscale", static_cast<double>(c.height) / c.source_height)
                      ->set("kernel", VIPS_KERNEL_LANCZOS3));
  const VImage by_libvips = VImage::thumbnail_buffer(
      VipsBlobPtr(vips_blob_copy(jpeg.data(), jpeg.size())).get(), c.width,
      VImage::option()->set("height", c.height)->set("size", VIPS_SIZE_FORCE));
  VipsImageProcessor processor;
  const auto ours = processor.resize(jpeg, spec, core::Limits{});
  ASSERT_TRUE(ours.ok()) << ours.error().log_message();
  const VImage ours_pixels = png_pixels(ours->bytes);
  ASSERT_EQ(ours_pixels.width(), c.width);
  ASSERT_EQ(ours_pixels.height(), c.height);

  const double ours_db = psnr(ours_pixels, ideal);
  const double libvips_db = psnr(by_libvips, ideal);
  RecordProperty("psnr_ours_db", std::to_string(ours_db));
  RecordProperty("psnr_libvips_db", std::to_string(libvips_db));
  // 40 dB: differences below what the eye sees, smaller than a quality-90 JPEG re-encode's.
  // On this worst-case content ours measures 42-51 dB; libvips' own choice 46-51 dB (or the
  // ideal itself, where its factor of 2 left no shrink-on-load at all).
  EXPECT_GT(ours_db, 40.0) << "libvips (shrink " << c.libvips_shrink << "): " << libvips_db;
}

INSTANTIATE_TEST_SUITE_P(Workloads, ShrinkOnLoad,
                         ::testing::Values(Case{1920, 1080, 100, 100, 8, 4},
                                           Case{4000, 3000, 800, 600, 4, 2},
                                           Case{1920, 1080, 400, 300, 2, 1},
                                           Case{640, 480, 100, 100, 4, 2}),
                         [](const auto& test) {
                           const Case& c = test.param;
                           return std::to_string(c.source_width) + "x" +
                                  std::to_string(c.source_height) + "_to_" +
                                  std::to_string(c.width) + "x" + std::to_string(c.height);
                         });

}  // namespace
}  // namespace image_resize::imaging
