// strip_webp_metadata: EXIF, XMP and ICC chunks removed, everything else kept byte for byte.
#include "imaging/webp_metadata.h"

#include <gtest/gtest.h>

#include <string>

namespace image_resize::imaging {
namespace {

std::string u32le(std::size_t value) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}

std::string chunk(const std::string& fourcc, const std::string& payload) {
  std::string out = fourcc + u32le(payload.size()) + payload;
  if (payload.size() % 2 == 1) out.push_back('\0');
  return out;
}

std::string riff(const std::string& chunks) {
  return "RIFF" + u32le(chunks.size() + 4) + "WEBP" + chunks;
}

TEST(StripWebpMetadata, RemovesMetadataChunksAndFlags) {
  const std::string vp8x =
      chunk("VP8X", std::string("\x2C\0\0\0\0\0\0\0\0\0", 10));  // ICC|EXIF|XMP
  const std::string image = chunk("VP8 ", "abc");                // odd: padded
  const std::string input =
      riff(vp8x + chunk("ICCP", "icc") + image + chunk("EXIF", "Exif!") + chunk("XMP ", "<x/>"));
  const std::string expected_vp8x = chunk("VP8X", std::string(10, '\0'));
  EXPECT_EQ(strip_webp_metadata(input), riff(expected_vp8x + image));
}

TEST(StripWebpMetadata, KeepsAFileWithoutMetadata) {
  const std::string input = riff(chunk("VP8L", "lossless"));
  EXPECT_EQ(strip_webp_metadata(input), input);
}

TEST(StripWebpMetadata, LeavesMalformedBytesAlone) {
  EXPECT_EQ(strip_webp_metadata("not a webp"), "not a webp");
  const std::string overlong = "RIFF" + u32le(100) + "WEBP" + "EXIF" + u32le(1000) + "x";
  EXPECT_EQ(strip_webp_metadata(overlong), overlong);
}

}  // namespace
}  // namespace image_resize::imaging
