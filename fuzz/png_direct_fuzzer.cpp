// Fuzzes the direct PNG decoder (src/imaging/png_direct.h) against libvips' pngload.
//
// Input: one byte of flags, then the file's bytes. Flag 1: premultiply. Flag 2: first write
// every chunk's CRC as it should be, so that mutations reach past the CRC check (which the unit
// tests cover) into the chunk, inflate and filter code.
//
// Properties:
//   - no memory error or leak on any input (ASan, LeakSanitizer);
//   - where the direct decoder gives an image, pngload decodes the file too (fail_on=error, as
//     the service loads) and gives the same size, bands and pixels (premultiplied: within one
//     level of libvips' own premultiply, alpha the same): the direct path never accepts a file
//     the libvips path refuses, nor decodes it differently. One known exception: libdeflate
//     inflates a few malformed deflate streams that zlib (libpng's) refuses, when they still
//     give exactly the image and pass their Adler-32 check; there the oracle asks zlib itself
//     and accepts the difference only when zlib refuses the same stream.
#include <libdeflate.h>
#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vips/vips8>

#include "decoder_fuzz_support.h"
#include "imaging/png_direct.h"

namespace image_resize::fuzz {
namespace {

std::uint32_t big_endian(const unsigned char* at) {
  return (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) | (std::uint32_t{at[2]} << 8) |
         std::uint32_t{at[3]};
}

// The IDAT chunks' data, joined.
std::string image_data(std::string_view bytes) {
  std::string data;
  std::size_t at = 8;
  while (at + 12 <= bytes.size()) {
    const auto* chunk = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    const std::size_t length = big_endian(chunk);
    if (length > bytes.size() - at - 12) break;
    if (bytes.substr(at + 4, 4) == "IDAT") data.append(bytes.substr(at + 8, length));
    at += 12 + length;
  }
  return data;
}

// Whether zlib inflates `stream` whole into `size` bytes, as libpng would need.
bool zlib_inflates(const std::string& stream, std::size_t size) {
  std::string out(size, '\0');
  uLongf out_size = size;
  return uncompress(reinterpret_cast<Bytef*>(out.data()), &out_size,
                    reinterpret_cast<const Bytef*>(stream.data()), stream.size()) == Z_OK &&
         out_size == size;
}

// `bytes` with each whole chunk's CRC recomputed (after the 8-byte signature).
std::string with_right_crcs(std::string_view bytes) {
  std::string fixed(bytes);
  std::size_t at = 8;
  while (at + 12 <= fixed.size()) {
    const auto* chunk = reinterpret_cast<unsigned char*>(fixed.data() + at);
    const std::size_t length = big_endian(chunk);
    if (length > fixed.size() - at - 12) break;
    const std::uint32_t crc = libdeflate_crc32(0, chunk + 4, 4 + length);
    for (int i = 0; i < 4; ++i) {
      fixed[at + 8 + length + static_cast<std::size_t>(i)] = static_cast<char>(crc >> (24 - 8 * i));
    }
    at += 12 + length;
  }
  return fixed;
}

void check(std::string_view bytes, bool premultiply) {
  const std::optional<vips::VImage> direct = imaging::decode_png_directly(bytes, premultiply);
  if (!direct) return;
  const std::optional<vips::VImage> expected = load_every_pixel(bytes);
  if (!expected) {
    const std::size_t filtered_size =
        (static_cast<std::size_t>(direct->width()) * static_cast<std::size_t>(direct->bands()) +
         1) *
        static_cast<std::size_t>(direct->height());
    FUZZ_CHECK(!zlib_inflates(image_data(bytes), filtered_size));
    return;
  }
  FUZZ_CHECK(direct->width() == expected->width());
  FUZZ_CHECK(direct->height() == expected->height());
  FUZZ_CHECK(direct->bands() == expected->bands());
  FUZZ_CHECK(expected->format() == VIPS_FORMAT_UCHAR);
  if (!premultiply || !expected->has_alpha()) {
    FUZZ_CHECK(largest_difference(*direct, *expected) == 0.0);
    return;
  }
  const vips::VImage premultiplied = (expected->premultiply() + 0.5).cast(VIPS_FORMAT_UCHAR);
  FUZZ_CHECK(largest_difference(*direct, premultiplied) <= 1.0);
  const int alpha = expected->bands() - 1;
  FUZZ_CHECK(largest_difference((*direct)[alpha], (*expected)[alpha]) == 0.0);
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  image_resize::fuzz::start_vips_once();
  image_resize::fuzz::InputReader input(data, size);
  const std::uint8_t flags = input.byte();
  const bool premultiply = (flags & 1) != 0;
  if ((flags & 2) != 0) {
    image_resize::fuzz::check(image_resize::fuzz::with_right_crcs(input.rest()), premultiply);
  } else {
    image_resize::fuzz::check(input.rest(), premultiply);
  }
  return 0;
}
