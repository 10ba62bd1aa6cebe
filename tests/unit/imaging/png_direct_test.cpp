// The direct PNG decoder (png_direct.h) must give exactly pngload's pixels where it decodes,
// and decline everything it does not decode as pngload would, so the libvips path takes it.
#include "imaging/png_direct.h"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <string>
#include <vips/vips8>

#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using test::fixture;
using vips::VImage;

class PngDirect : public test::WithVips {};

// Noise over ramps, so that every filter type has work, with alpha from transparent to opaque.
VImage picture(int width, int height, int bands) {
  const VImage noise =
      VImage::gaussnoise(width, height, VImage::option()->set("sigma", 40.0)->set("seed", 9));
  const VImage xy = VImage::xyz(width, height);
  const VImage ramp = xy[0] * (255.0 / width);
  const VImage alpha = xy[1] * (255.0 / height);
  std::vector<VImage> all{noise + ramp, ramp, noise + 100.0, alpha};
  VImage image = bands == 1 ? all[0]
                 : bands == 2
                     ? VImage::bandjoin({all[0], alpha})
                     : VImage::bandjoin(std::vector<VImage>(all.begin(), all.begin() + bands));
  image = image.cast(VIPS_FORMAT_UCHAR);
  const VipsInterpretation as = bands <= 2 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  return image.copy(VImage::option()->set("interpretation", as));
}

std::string png(const VImage& image, vips::VOption* options) {
  VipsBlob* blob = image.pngsave_buffer(options);
  std::size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  std::string bytes(static_cast<const char*>(data), size);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

std::string png(const VImage& image) { return png(image, VImage::option()->set("strip", true)); }

VImage pngload(const std::string& bytes) { return VImage::new_from_buffer(bytes, ""); }

// `bytes` with a chunk of `type` holding `data` inserted after IHDR (8 + 25 bytes in).
std::string with_chunk(const std::string& bytes, const std::string& type, const std::string& data) {
  std::string chunk;
  for (int shift : {24, 16, 8, 0}) chunk += static_cast<char>((data.size() >> shift) & 0xFF);
  chunk += type + data;
  const std::uint32_t crc = libdeflate_crc32(0, chunk.data() + 4, chunk.size() - 4);
  for (int shift : {24, 16, 8, 0}) chunk += static_cast<char>((crc >> shift) & 0xFF);
  return bytes.substr(0, 33) + chunk + bytes.substr(33);
}

TEST_F(PngDirect, GivesPngloadsPixelsForEveryColourTypeAndFilter) {
  const std::vector<std::pair<const char*, VipsForeignPngFilter>> filters{
      {"none", VIPS_FOREIGN_PNG_FILTER_NONE},   {"sub", VIPS_FOREIGN_PNG_FILTER_SUB},
      {"up", VIPS_FOREIGN_PNG_FILTER_UP},       {"avg", VIPS_FOREIGN_PNG_FILTER_AVG},
      {"paeth", VIPS_FOREIGN_PNG_FILTER_PAETH}, {"all", VIPS_FOREIGN_PNG_FILTER_ALL}};
  for (int bands = 1; bands <= 4; ++bands) {
    for (const auto& [name, filter] : filters) {
      SCOPED_TRACE(std::to_string(bands) + " bands, filter " + name);
      // Odd sizes: rows whose length is no multiple of anything.
      const std::string bytes =
          png(picture(97, 61, bands), VImage::option()->set("filter", filter));
      const std::optional<VImage> direct = decode_png_directly(bytes, false);
      ASSERT_TRUE(direct.has_value());
      EXPECT_TRUE(test::same_image(*direct, pngload(bytes)));
    }
  }
}

TEST_F(PngDirect, PremultipliesColourByAlphaInEightBits) {
  const std::string bytes = png(picture(64, 64, 4));
  const VImage straight = pngload(bytes);
  const std::optional<VImage> premultiplied = decode_png_directly(bytes, true);
  ASSERT_TRUE(premultiplied.has_value());
  // libvips' own premultiply in float, rounded: the same to within rounding.
  const VImage expected = (straight.premultiply() + 0.5).cast(VIPS_FORMAT_UCHAR);
  EXPECT_LE(test::largest_difference(*premultiplied, expected), 1.0);
  EXPECT_EQ(test::largest_difference((*premultiplied)[3], straight[3]), 0.0);  // alpha as it was
  const std::optional<VImage> opaque = decode_png_directly(png(picture(64, 64, 3)), true);
  ASSERT_TRUE(opaque.has_value());
  EXPECT_EQ(test::largest_difference(*opaque, pngload(png(picture(64, 64, 3)))), 0.0);
}

TEST_F(PngDirect, DeclinesWhatItDoesNotDecodeAsPngloadDoes) {
  const VImage image = picture(40, 30, 3);
  EXPECT_TRUE(decode_png_directly(png(image), false).has_value());
  EXPECT_FALSE(decode_png_directly(
                   png(image, VImage::option()->set("strip", true)->set("interlace", true)), false)
                   .has_value());
  EXPECT_FALSE(decode_png_directly(
                   png(image, VImage::option()->set("strip", true)->set("palette", true)), false)
                   .has_value());
  EXPECT_FALSE(decode_png_directly(fixture("rgb16.png"), false).has_value());
  EXPECT_FALSE(decode_png_directly(fixture("truncated.png"), false).has_value());
  EXPECT_FALSE(decode_png_directly(fixture("photo.jpg"), false).has_value());
  EXPECT_FALSE(decode_png_directly("", false).has_value());
}

TEST_F(PngDirect, DeclinesChunksThatChangePixelsOrBreakTheFile) {
  const std::string good = png(picture(40, 30, 3));
  // A transparent colour (pngload makes it an alpha band); an unknown critical chunk.
  EXPECT_FALSE(decode_png_directly(with_chunk(good, "tRNS", std::string(6, '\0')), false));
  EXPECT_FALSE(decode_png_directly(with_chunk(good, "ABCD", "x"), false));
  // An unknown ancillary chunk changes nothing.
  EXPECT_TRUE(decode_png_directly(with_chunk(good, "abCd", "x"), false));
  // A flipped bit in the image data: its CRC no longer matches.
  std::string flipped = good;
  flipped[flipped.size() - 20] = static_cast<char>(flipped[flipped.size() - 20] ^ 1);
  EXPECT_FALSE(decode_png_directly(flipped, false));
  // No IEND.
  EXPECT_FALSE(decode_png_directly(good.substr(0, good.size() - 12), false));
}

TEST_F(PngDirect, DeclinesImagesLargerThanItsBuffer) {
  const std::string big = png(VImage::black(2100, 2100, VImage::option()->set("bands", 4)));
  static_assert(2100 * 2100 * 4 > kMaxDirectPngBytes);
  EXPECT_FALSE(decode_png_directly(big, false).has_value());
}

}  // namespace
}  // namespace image_resize::imaging
