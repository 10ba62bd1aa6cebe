#pragma once
// Reading an input: its header first (format, size, frames, orientation; checked against the
// limits before any pixel is decoded), then the decode step, which lets libvips shrink on load.

#include <string_view>

#include "core/limits.h"
#include "core/result.h"
#include "imaging/pipeline.h"
#include "imaging/source_info.h"

namespace image_resize::imaging {

// Detects the format from the bytes, opens the header only (sequential access) and checks it
// with LimitsChecker::check_input. Errors: unsupported_image, image_too_large, decode_failed.
// Translates libvips exceptions itself; needs VipsRuntime started.
core::Result<SourceInfo> read_source_info(std::string_view bytes, const core::Limits& limits);

// Step: context.image = the input, shrunk on load to geometry.scaled_* (one frame; every frame
// when keep_animation), auto-rotated by EXIF orientation, in sRGB where libvips can tell.
// Truncated or corrupt data fails (fail_on=error) instead of giving grey pixels.
core::Status decode(Context& context);

}  // namespace image_resize::imaging
