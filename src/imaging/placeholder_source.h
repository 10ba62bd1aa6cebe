#pragma once
// What a placeholder is computed from: the encoded output, read back as a few hundred RGBA
// pixels. Internal to imaging/ (placeholder.cpp).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace image_resize::imaging {

// At most kPlaceholderSide pixels a side, 8-bit RGBA (alpha 255 for an opaque image), rows packed.
struct SmallImage {
  std::vector<std::uint8_t> rgba;
  int width = 0;
  int height = 0;
};

inline constexpr int kPlaceholderSide = 32;

// JPEG and PNG outputs (most of them) through the direct decoders, the JPEG shrunk by 8 in its
// DCT, then box-averaged here: a libvips thumbnail costs about 2 ms of pipeline set-up even for
// a 100x100 result, a tenth of the task. Other formats, and files the direct decoders decline,
// through libvips' thumbnail (first frame, to sRGB). nullopt when neither can read the bytes.
// Throws vips::VError.
std::optional<SmallImage> small_image_of(std::string_view encoded);

// Pure: `pixels` (8-bit, 1 to 4 bands: grey, grey + alpha, RGB, RGBA; rows `stride` bytes apart)
// averaged over boxes down to at most `max_side` a side, as RGBA.
SmallImage reduce_to_rgba(const std::uint8_t* pixels, int width, int height, int bands,
                          std::size_t stride, int max_side);

}  // namespace image_resize::imaging
