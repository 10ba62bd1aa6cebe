// VipsImageProcessor::probe and detect_format: the format from the bytes, the header's size,
// and refusals before anything is decoded.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "imaging/format_detection.h"
#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::ImageFormat;
using test::fixture;

struct ProbeCase {
  std::string file;
  ImageFormat format;
  int width, height, frames;
};

std::string case_name(const std::string& file) {
  std::string name = file;
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

class ProbeTest : public ::testing::TestWithParam<ProbeCase> {
 protected:
  VipsImageProcessor processor_;
};

TEST_P(ProbeTest, ReadsFormatAndSize) {
  const ProbeCase& c = GetParam();
  const core::Result<ImageInfo> info = processor_.probe(fixture(c.file), core::Limits{});
  ASSERT_TRUE(info.ok()) << info.error().log_message();
  EXPECT_EQ(info->format, c.format);
  EXPECT_EQ(info->width, c.width);
  EXPECT_EQ(info->height, c.height);
  EXPECT_EQ(info->frames, c.frames);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ProbeTest,
    ::testing::Values(ProbeCase{"photo.jpg", ImageFormat::jpeg, 300, 200, 1},
                      ProbeCase{"progressive.jpg", ImageFormat::jpeg, 300, 200, 1},
                      ProbeCase{"cmyk.jpg", ImageFormat::jpeg, 300, 200, 1},
                      // Stored 200x300 with EXIF orientation 6: reported as displayed.
                      ProbeCase{"orientation_6.jpg", ImageFormat::jpeg, 300, 200, 1},
                      ProbeCase{"alpha.png", ImageFormat::png, 150, 100, 1},
                      ProbeCase{"rgb16.png", ImageFormat::png, 90, 60, 1},
                      ProbeCase{"display_p3.png", ImageFormat::png, 32, 32, 1},
                      ProbeCase{"photo.webp", ImageFormat::webp, 300, 200, 1},
                      ProbeCase{"animated.webp", ImageFormat::webp, 120, 80, 4},
                      ProbeCase{"photo.gif", ImageFormat::gif, 300, 200, 1},
                      ProbeCase{"animated.gif", ImageFormat::gif, 120, 80, 4},
                      ProbeCase{"photo.tif", ImageFormat::tiff, 300, 200, 1},
                      ProbeCase{"photo.heic", ImageFormat::heic, 300, 200, 1},
                      ProbeCase{"photo.avif", ImageFormat::avif, 300, 200, 1},
                      // Only the header is read, so a truncated body still probes.
                      ProbeCase{"truncated.jpg", ImageFormat::jpeg, 300, 200, 1}),
    [](const auto& test_case) { return case_name(test_case.param.file); });

class ProbeRefusesTest : public ::testing::TestWithParam<std::string> {
 protected:
  VipsImageProcessor processor_;
};

TEST_P(ProbeRefusesTest, AsUnsupportedImage) {
  const core::Result<ImageInfo> info = processor_.probe(fixture(GetParam()), core::Limits{});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, core::ErrorCode::unsupported_image) << info.error().log_message();
  EXPECT_NE(info.error().public_message.find("Upload a jpeg, png"), std::string::npos)
      << info.error().public_message;
}

INSTANTIATE_TEST_SUITE_P(NotAccepted, ProbeRefusesTest,
                         ::testing::Values("random.bin", "vector.svg", "document.pdf", "tiny.bmp"),
                         [](const auto& test_case) { return case_name(test_case.param); });

TEST(Probe, EmptyInputIsUnsupported) {
  VipsImageProcessor processor;
  const core::Result<ImageInfo> info = processor.probe("", core::Limits{});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, core::ErrorCode::unsupported_image);
}

TEST(Probe, SvgIsNamedInTheMessage) {
  VipsImageProcessor processor;
  const core::Result<ImageInfo> info = processor.probe(fixture("vector.svg"), core::Limits{});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().public_message.rfind("svg images are not accepted", 0), 0U)
      << info.error().public_message;
}

TEST(Probe, DecompressionBombIsRefusedFromItsHeaderAlone) {
  // 50000x50000 declared, 661 bytes on disk: decoding would need 7.5 GB.
  VipsImageProcessor processor;
  const auto started = std::chrono::steady_clock::now();
  const core::Result<ImageInfo> info = processor.probe(fixture("bomb.png"), core::Limits{});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, core::ErrorCode::image_too_large);
  EXPECT_NE(info.error().public_message.find("the limit is 100000000 pixels"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST(Probe, TooManyFramesIsTooLarge) {
  core::Limits limits;
  limits.max_frames = 3;
  VipsImageProcessor processor;
  const core::Result<ImageInfo> info = processor.probe(fixture("animated.gif"), limits);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, core::ErrorCode::image_too_large);
  EXPECT_NE(info.error().public_message.find("4 frames"), std::string::npos);
}

TEST(Probe, FramesCountTowardsThePixelLimit) {
  core::Limits limits;
  limits.max_input_pixels = 120ULL * 80 * 3;  // one frame short of animated.gif's four
  VipsImageProcessor processor;
  EXPECT_EQ(processor.probe(fixture("animated.gif"), limits).error().code,
            core::ErrorCode::image_too_large);
  limits.max_input_pixels = 120ULL * 80 * 4;
  EXPECT_TRUE(processor.probe(fixture("animated.gif"), limits).ok());
}

TEST(Probe, InterlacedInputsHaveTheirOwnLowerPixelLimit) {
  core::Limits limits;
  limits.max_interlaced_pixels = 300 * 200 - 1;
  VipsImageProcessor processor;
  // progressive.jpg and photo.jpg are both 300x200; only the progressive one is decoded whole.
  const core::Result<ImageInfo> progressive = processor.probe(fixture("progressive.jpg"), limits);
  ASSERT_FALSE(progressive.ok());
  EXPECT_EQ(progressive.error().code, core::ErrorCode::image_too_large);
  EXPECT_NE(progressive.error().public_message.find("progressive JPEG of 300x200"),
            std::string::npos)
      << progressive.error().public_message;
  EXPECT_TRUE(processor.probe(fixture("photo.jpg"), limits).ok());

  const vips::VImage alpha = vips::VImage::new_from_buffer(fixture("alpha.png"), "");
  void* saved = nullptr;
  std::size_t size = 0;
  vips_pngsave_buffer(alpha.get_image(), &saved, &size, "interlace", TRUE, nullptr);
  ASSERT_NE(saved, nullptr);
  const std::string interlaced(static_cast<const char*>(saved), size);
  g_free(saved);
  limits.max_interlaced_pixels = static_cast<std::uint64_t>(alpha.width()) * alpha.height() - 1;
  const core::Result<ImageInfo> png = processor.probe(interlaced, limits);
  ASSERT_FALSE(png.ok());
  EXPECT_NE(png.error().public_message.find("interlaced image"), std::string::npos);
  EXPECT_TRUE(processor.probe(fixture("alpha.png"), limits).ok());
  limits.max_interlaced_pixels += 1;
  EXPECT_TRUE(processor.probe(interlaced, limits).ok());
  limits.max_interlaced_pixels = 0;  // no limit
  EXPECT_TRUE(processor.probe(interlaced, limits).ok());
}

TEST(HasAvifBrand, ReadsMajorAndCompatibleBrands) {
  using namespace std::string_literals;
  const std::string major =
      "\0\0\0\x18"
      "ftyp"
      "avif"
      "\0\0\0\0"
      "mif1"
      "miaf"s;
  const std::string compatible =
      "\0\0\0\x18"
      "ftyp"
      "mif1"
      "\0\0\0\0"
      "miaf"
      "avif"s;
  const std::string heic =
      "\0\0\0\x18"
      "ftyp"
      "heic"
      "\0\0\0\0"
      "mif1"
      "heic"s;
  // A brand after the end of the ftyp box does not count.
  const std::string outside =
      "\0\0\0\x14"
      "ftyp"
      "heic"
      "\0\0\0\0"
      "mif1"
      "avif"s;
  EXPECT_TRUE(has_avif_brand(major));
  EXPECT_TRUE(has_avif_brand(compatible));
  EXPECT_FALSE(has_avif_brand(heic));
  EXPECT_FALSE(has_avif_brand(outside));
  EXPECT_FALSE(has_avif_brand("ftyp"));
  EXPECT_TRUE(has_avif_brand(fixture("photo.avif")));
  EXPECT_FALSE(has_avif_brand(fixture("photo.heic")));
}

}  // namespace
}  // namespace image_resize::imaging
