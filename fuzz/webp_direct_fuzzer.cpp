// Fuzzes the still-WebP path (src/imaging/webp_direct.h) against libvips' webpload.
//
// Input: one byte choosing the target size (byte / 255 of the image's width and height, at
// least 1 pixel, as thumbnail's shrink-on-load plans it with webp_shrink_on_load), then the
// file's bytes.
//
// Properties:
//   - no memory error or leak on any input (ASan, LeakSanitizer), whatever libwebp reports;
//   - where the direct path gives an image, webpload at the same scale decodes the file too
//     (fail_on=error, as the service loads) and gives the same size, bands and pixels: the
//     direct path never accepts a file the libvips path refuses, nor decodes it differently.
#include <webp/decode.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vips/vips8>

#include "decoder_fuzz_support.h"
#include "imaging/webp_direct.h"

namespace image_resize::fuzz {
namespace {

void check(std::string_view bytes, int share) {
  int width = 0;
  int height = 0;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  // A file whose header libwebp cannot read is still handed over, at an arbitrary size.
  if (WebPGetInfo(data, bytes.size(), &width, &height) == 0) width = height = 1;
  const auto part = [share](int side) {
    return static_cast<int>(std::max<std::int64_t>(1, std::int64_t{side} * share / 255));
  };
  const imaging::WebpScaledSize size =
      imaging::webp_shrink_on_load(width, height, part(width), part(height));
  const std::optional<vips::VImage> direct = imaging::decode_webp_directly(bytes, size);
  if (!direct) return;
  // webpload at the same scale.
  const std::optional<vips::VImage> expected =
      load_every_pixel(bytes, vips::VImage::option()->set("scale", size.scale));
  FUZZ_CHECK(expected.has_value());
  check_same_image(*direct, *expected);
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  image_resize::fuzz::start_vips_once();
  image_resize::fuzz::InputReader input(data, size);
  const int share = input.byte();
  image_resize::fuzz::check(input.rest(), share);
  return 0;
}
