#pragma once
// Shared by the image decoder targets (jpeg_direct, png_direct): libvips started once, as the
// service starts it (no operation cache, one thread a pipeline), and pixel comparison.

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

// The largest difference of any band of any pixel; the images have the same shape.
inline double largest_difference(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_INT) - b.cast(VIPS_FORMAT_INT)).abs().max();
}

}  // namespace image_resize::fuzz
