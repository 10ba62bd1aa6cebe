#pragma once
// Shared by the image decoder targets (jpeg_direct, png_direct, webp_direct): libvips started
// once, as the service starts it (no operation cache, one thread a pipeline), the libvips
// loader as the oracle, and pixel comparison.

#include <optional>
#include <string_view>
#include <vips/vips8>

#include "fuzz_support.h"

namespace image_resize::fuzz {

inline void start_vips_once() {
  static const bool started = [] {
    if (VIPS_INIT("image_resize_fuzzer") != 0) return false;
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    return true;
  }();
  FUZZ_CHECK(started);
}

// The libvips loader of `bytes` as the service loads (fail_on=error, plus `options`), every
// pixel decoded; nullopt when it fails.
inline std::optional<vips::VImage> load_every_pixel(std::string_view bytes,
                                                    vips::VOption* options = nullptr) {
  if (options == nullptr) options = vips::VImage::option();
  try {
    const vips::VImage image = vips::VImage::new_from_buffer(
        bytes.data(), bytes.size(), "", options->set("fail_on", VIPS_FAIL_ON_ERROR));
    return image.copy_memory();  // decodes every pixel now, so a decode error shows here
  } catch (const vips::VError&) {
    vips_error_clear();
    return std::nullopt;
  }
}

// The largest difference of any band of any pixel; the images have the same shape.
inline double largest_difference(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_INT) - b.cast(VIPS_FORMAT_INT)).abs().max();
}

// The direct decoder's image has the oracle's size, bands and pixels.
inline void check_same_image(const vips::VImage& direct, const vips::VImage& expected) {
  FUZZ_CHECK(direct.width() == expected.width());
  FUZZ_CHECK(direct.height() == expected.height());
  FUZZ_CHECK(direct.bands() == expected.bands());
  FUZZ_CHECK(largest_difference(direct, expected) == 0.0);
}

}  // namespace image_resize::fuzz
