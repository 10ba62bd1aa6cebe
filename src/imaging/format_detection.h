#pragma once
// Which format an upload is in, told from its bytes alone (never from a file name or a part
// header), using libvips' own sniffing so that what we accept is exactly what it will load.

#include <string_view>

#include "core/resize_spec.h"
#include "core/result.h"

namespace image_resize::imaging {

// jpeg, png, webp, gif, tiff, heic or avif. Anything else (SVG, PDF, BMP through ImageMagick,
// random or empty bytes) is ErrorCode::unsupported_image. Needs VipsRuntime started.
core::Result<core::ImageFormat> detect_format(std::string_view bytes);

// Whether uploads in `format` are read here: one of the formats above, with its loader in this
// libvips build. JPEG XL is written but not read: its loader is untrusted.
bool can_load(core::ImageFormat format);

// For a HEIF container: whether its ftyp box says AVIF (an AV1 image) rather than HEIC (HEVC).
// Looks at the major brand, then the compatible brands.
bool has_avif_brand(std::string_view bytes);

}  // namespace image_resize::imaging
