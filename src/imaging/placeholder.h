#pragma once
// What a client shows while a finished resize loads: a BlurHash (woltapp's algorithm,
// https://github.com/woltapp/blurhash) and the dominant colour, both from a tiny reduce of the
// encoded output. No libvips here: this header is public to the rest of the service.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace image_resize::imaging {

struct Placeholder {
  std::string blurhash;         // woltapp BlurHash, 4x3 components (28 characters)
  std::string dominant_colour;  // "#rrggbb", lowercase
  bool operator==(const Placeholder&) const = default;
};

// Pure, and bit for bit what woltapp's C encoder (C/encode.c) gives: 8-bit sRGB pixels,
// interleaved, `channels` 3 or 4 (a 4th, alpha, is ignored as the reference ignores it: flatten
// first), rows `stride` bytes apart; components 1..9 each way. Empty for arguments out of range.
std::string blurhash_encode(const std::uint8_t* pixels, int width, int height, int channels,
                            std::size_t stride, int components_x, int components_y);

// Pure: the most common colour (sharp's stats().dominant idea: a 16x16x16 histogram of the
// pixels, pixels with alpha < 128 ignored; the answer is the mean colour of the fullest bin, the
// first in r, g, b order on a tie), "#rrggbb". Fully transparent or empty image: "#000000".
std::string dominant_colour(const std::uint8_t* pixels, int width, int height, int channels,
                            std::size_t stride);

// From an encoded image (any format libvips reads; first frame), reduced to at most 32x32
// (placeholder_source.h): alpha kept for the dominant colour and flattened over white for the
// BlurHash (4x3). Empty strings when the bytes cannot be read; never throws.
Placeholder placeholder_of(std::string_view encoded);

}  // namespace image_resize::imaging
