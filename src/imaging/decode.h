#pragma once
// Reading an input: its header first (format, size, frames, orientation; checked against the
// limits before any pixel is decoded), then the decode step, which lets libvips shrink on load.

#include <string_view>

#include "core/limits.h"
#include "core/result.h"
#include "imaging/geometry.h"
#include "imaging/pipeline.h"
#include "imaging/source_info.h"

namespace image_resize::imaging {

// Detects the format from the bytes, opens the header only (sequential access) and checks it
// with LimitsChecker::check_input. Errors: unsupported_image, image_too_large, decode_failed.
// Translates libvips exceptions itself; needs VipsRuntime started.
core::Result<SourceInfo> read_source_info(std::string_view bytes, const core::Limits& limits);

// The factor a JPEG is shrunk by as libjpeg decodes it (1, 2, 4 or 8): the largest that keeps
// the decoded image at least geometry.scaled_* in both directions. libvips 8.14's thumbnail
// stops a power of two earlier (it keeps a factor of 2 for its final reduce): 1920x1080 to
// 100x100 decodes at 480x270 there, at 240x135 here, for the same picture
// (tests/unit/imaging/shrink_on_load_test.cpp measures both against a full decode).
int jpeg_shrink_on_load(const SourceInfo& source, const Geometry& geometry);

// Step: context.image = the input, shrunk on load to geometry.scaled_* (one frame; every frame
// when keep_animation), auto-rotated by EXIF orientation, in sRGB where libvips can tell.
// Truncated or corrupt data fails (fail_on=error) instead of giving grey pixels.
// With spec.crop, the crop's own path (decode_cropped.h) does it for the cropped rectangle.
core::Status decode(Context& context);

}  // namespace image_resize::imaging
