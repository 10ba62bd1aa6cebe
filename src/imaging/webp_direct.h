#pragma once
// A WebP path beside libvips' webpload, for still images: libwebp decodes the upload and scales
// it in one call on the helper's thread, to the size thumbnail's shrink-on-load would ask
// webpload for, so the pixels are webpload's. webpload asks libwebp for a filtering thread and
// hands the frame to libvips' pipeline threads, which wait on each other: on 1920×1080 → 400×300
// this path costs about a fifth less CPU. Animated files and anything libwebp fails on are
// declined, and the caller decodes with libvips, which also reports the input's faults as before.

#include <optional>
#include <string_view>
#include <vips/vips8>

namespace image_resize::imaging {

// The size, as stored, that thumbnail has webpload decode a `width` × `height` WebP to on its
// way to `target_width` × `target_height` (as stored): scaled by the smaller shrink, never up.
struct WebpScaledSize {
  int width = 0;
  int height = 0;
  double scale = 1.0;  // webpload's "scale"
  // Whether libwebp scales at all; when it does, it also drops its fancy upsampling and, below
  // three quarters, its loop filter, as for webpload.
  bool scaled() const { return scale != 1.0; }
};
WebpScaledSize webp_shrink_on_load(int width, int height, int target_width, int target_height);

// The still WebP in `bytes` decoded at `size`, as 8-bit RGB, or RGBA (not premultiplied) when its
// header says it has alpha; EXIF orientation not applied. nullopt (decode with libvips instead)
// for an animated file, one libwebp's demuxer refuses (as webpload does) or its decoder fails on,
// or a size that is not the image's (unscaled) or is larger than it (scaled).
std::optional<vips::VImage> decode_webp_directly(std::string_view bytes, WebpScaledSize size);

}  // namespace image_resize::imaging
