#pragma once
// libvips 8.14's webpsave writes an EXIF chunk (orientation and resolution) even when asked to
// strip, so WebP outputs are cleaned here, at the byte level, after encoding.

#include <string>
#include <string_view>

namespace image_resize::imaging {

// `webp` without its EXIF, XMP and ICC chunks, with the VP8X flags and the RIFF size to match.
// Bytes that are not a well-formed WebP file come back unchanged.
std::string strip_webp_metadata(std::string_view webp);

}  // namespace image_resize::imaging
