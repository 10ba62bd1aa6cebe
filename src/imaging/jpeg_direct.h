#pragma once
// A second JPEG decoder beside libvips' jpegload, for the common case: libjpeg-turbo fed the
// whole upload at once (jpeg_mem_src), shrunk in the DCT, into one buffer libvips then wraps.
// Measured against jpegload_buffer on the same file and shrink (4000×3000 → 1000×750: 22.3 vs
// 26.4 ms CPU; 1920×1080 → 240×135: 3.1 vs 3.9 ms), it is most of what decoding costs a task.
// It takes only files it decodes exactly as jpegload does; for anything else it declines and
// the caller decodes with libvips, which also reports the input's faults as before.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vips/vips8>

namespace image_resize::imaging {

// Largest decoded image it builds in memory; larger ones go through libvips, which streams.
constexpr std::size_t kMaxDirectJpegBytes = 16 * 1024 * 1024;

// The JPEG in `bytes` decoded with its DCT scaled by 1/shrink (1, 2, 4 or 8), as an 8-bit sRGB
// or grey image, EXIF orientation not applied. nullopt — decode with libvips instead — for a
// progressive (whose decode is unbounded in scans), 12-bit, CMYK or YCCK file, one libjpeg warns
// about (corrupt data, a truncated file), fails on, or whose decoded size exceeds
// kMaxDirectJpegBytes.
std::optional<vips::VImage> decode_jpeg_directly(std::string_view bytes, int shrink);

}  // namespace image_resize::imaging
