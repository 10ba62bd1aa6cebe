#pragma once
// Everything decided before the first pixel: the output format, the sizes, whether an
// animation is kept, and whether the output is within the limits and the format's own.

#include <string_view>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/pipeline.h"
#include "imaging/source_info.h"

namespace image_resize::imaging {

// A Context ready for Pipeline::run; with spec.crop, the geometry is that of the cropped
// rectangle. Errors: invalid_crop (spec.crop not inside the upright source), image_too_large
// (output over limits.max_output_side), encode_failed (a format libvips cannot write here, or a
// size the format cannot store).
core::Result<Context> plan_resize(std::string_view bytes, const core::ResizeSpec& spec,
                                  const core::Limits& limits, const SourceInfo& source);

}  // namespace image_resize::imaging
