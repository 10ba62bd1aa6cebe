// Fuzzes the direct JPEG decoder (src/imaging/jpeg_direct.h) against libvips' jpegload.
//
// Input: one byte choosing the shrink (1 << (byte & 3): 1, 2, 4 or 8), then the file's bytes.
//
// Properties:
//   - no memory error or leak on any input (ASan, LeakSanitizer), whatever libjpeg reports;
//   - where the direct decoder gives an image, jpegload at the same shrink decodes the file too
//     (fail_on=error, as the service loads) and gives the same size, bands and pixels: the
//     direct path never accepts a file the libvips path refuses, nor decodes it differently.
//     Not where the shrink exceeds the image's width or height: libvips 8.14's jpegload aborts
//     the process there (a g_assert on a 0-pixel size); the service never asks for such a
//     shrink (jpeg_shrink_on_load keeps the decoded size at least the output's, at least 1).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vips/vips8>

#include "decoder_fuzz_support.h"
#include "imaging/jpeg_direct.h"

namespace image_resize::fuzz {
namespace {

// jpegload at `shrink` as the service loads (fail_on=error), every pixel decoded; nullopt when
// it fails. `skipped` when the shrink exceeds the image (see above).
std::optional<vips::VImage> jpegload(std::string_view bytes, int shrink, bool& skipped) {
  try {
    const vips::VImage header = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    skipped = header.width() < shrink || header.height() < shrink;
    if (skipped) return header;
  } catch (const vips::VError&) {
    vips_error_clear();
    return std::nullopt;
  }
  return load_every_pixel(bytes, vips::VImage::option()->set("shrink", shrink));
}

void check(std::string_view bytes, int shrink) {
  const std::optional<vips::VImage> direct = imaging::decode_jpeg_directly(bytes, shrink);
  if (!direct) return;
  bool skipped = false;
  const std::optional<vips::VImage> expected = jpegload(bytes, shrink, skipped);
  FUZZ_CHECK(expected.has_value());
  if (skipped) return;
  check_same_image(*direct, *expected);
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  image_resize::fuzz::start_vips_once();
  image_resize::fuzz::InputReader input(data, size);
  const int shrink = 1 << (input.byte() & 3);
  image_resize::fuzz::check(input.rest(), shrink);
  return 0;
}
