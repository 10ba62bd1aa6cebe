#pragma once
// What the imaging tests need beyond tests/support: the fixture bytes, a ResizeSpec builder,
// and a look inside encoded outputs with libvips (size, frames, colour, metadata, pixels).

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

#include "core/resize_spec.h"
#include "imaging/vips_image_processor.h"

namespace image_resize::imaging::test {

// A fixture whose tests need libvips started, as the service starts it.
class WithVips : public ::testing::Test {
 protected:
  void SetUp() override;
};

// tests/fixtures/images/<name>, read once and kept.
const std::string& fixture(const std::string& name);

core::ResizeSpec make_spec(std::optional<int> width, std::optional<int> height,
                           core::Fit fit = core::Fit::fill,
                           core::OutputFormat format = core::OutputFormat::same);

struct Decoded {
  std::string loader;  // libvips loader nickname, e.g. "pngload_buffer"
  int width = 0;
  int height = 0;  // one frame
  int frames = 1;
  int bands = 0;
  VipsInterpretation interpretation = VIPS_INTERPRETATION_ERROR;
  VipsBandFormat band_format = VIPS_FORMAT_NOTSET;
  bool has_alpha = false;
  std::vector<std::string>
      metadata;  // exif-*, xmp-data, iptc-data, icc-profile-data, orientation ≠ 1
};

// Decodes every frame of `bytes`; fails the current test (and returns {}) when it cannot.
Decoded decode_output(std::string_view bytes);

// Band values at (x, y) of the first frame.
std::vector<double> pixel_at(std::string_view bytes, int x, int y);

// An in-memory image whose band 0 is x and band 1 is y (as uchar, so up to 255 wide/high), plus
// a third band `tag`: a crop or an embed shows exactly where each pixel came from.
vips::VImage coordinate_image(int width, int height, int tag = 0);

// The largest difference of any band of any pixel of two images of the same shape.
double largest_difference(const vips::VImage& a, const vips::VImage& b);

// The same size, bands, interpretation and pixels; a failure says what differs.
::testing::AssertionResult same_image(const vips::VImage& actual, const vips::VImage& expected);

// `image` as png bytes without metadata (so no EXIF orientation), for images_similar.
std::string to_png(const vips::VImage& image);

// `image` as a quality 95 jpeg, with whatever metadata it carries.
std::string to_jpeg(const vips::VImage& image);

// `image` as a quality 80 (or lossless) webp, with whatever metadata it carries.
std::string to_webp(const vips::VImage& image, bool lossless = false);

// `frames` stacked into one animation, as libvips holds it (page-height = one frame).
vips::VImage animation(const std::vector<vips::VImage>& frames);

// A fixture for tests that resize bytes through the real processor with the default limits.
class ProcessorTest : public ::testing::Test {
 protected:
  // The resized image; a failure fails the test and gives an empty image.
  ResizedImage resize(const std::string& input, const core::ResizeSpec& spec);

  VipsImageProcessor processor_;
};

}  // namespace image_resize::imaging::test
