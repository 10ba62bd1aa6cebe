#pragma once
// A second PNG decoder beside libvips' pngload, for the common case: the file's chunks read
// here, its image data inflated in one call by libdeflate and the rows unfiltered into one
// buffer libvips then wraps. libpng inflates with zlib, which is most of what decoding a PNG
// costs: the benchmark's 1920×1080 RGBA image inflates in 50.8 ms with zlib, 20.9 ms with
// libdeflate. It takes only files it decodes exactly as pngload does; for anything else it
// declines and the caller decodes with libvips, which also reports the input's faults as before.
// One difference is known: libdeflate inflates a few malformed deflate streams that zlib
// refuses, when they still give exactly the image and pass their Adler-32 check; such a file
// decodes here where pngload fails.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vips/vips8>

namespace image_resize::imaging {

// Largest decoded image it builds in memory; larger ones go through libvips, which streams.
constexpr std::size_t kMaxDirectPngBytes = 16 * 1024 * 1024;

// The PNG in `bytes` as an 8-bit image of 1 to 4 bands (grey, grey + alpha, RGB, RGBA), EXIF
// orientation not applied. With `premultiply`, colour bands are multiplied by alpha (rounded to
// 8 bits) where there is one. nullopt (decode with libvips instead) for a palette, 16-bit or
// sub-byte, interlaced or tRNS file, a bad CRC, an unknown critical chunk, data that does not
// inflate to exactly the image, no IEND, or a decoded size over kMaxDirectPngBytes.
std::optional<vips::VImage> decode_png_directly(std::string_view bytes, bool premultiply);

}  // namespace image_resize::imaging
