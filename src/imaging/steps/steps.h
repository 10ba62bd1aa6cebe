#pragma once
// The steps between decode and encode, and the one after it, one per file, each a no-op when it
// does not apply. Order (Pipeline::standard): to_srgb, crop, flatten, embed, strip_metadata,
// (encode), placeholder.

#include "core/result.h"
#include "imaging/pipeline.h"

namespace image_resize::imaging::steps {

// 8-bit sRGB (3 bands, or 4 with alpha), whatever the input's colour space and depth.
core::Status to_srgb(Context& context);
// fit=cover: cuts target_width × target_height out of each frame where spec.gravity says.
core::Status crop(Context& context);
// Output formats without alpha (jpeg): composites transparency onto the background colour.
core::Status flatten(Context& context);
// fit=contain: pads each frame, centred, to target_width × target_height with the background.
core::Status embed(Context& context);
// Drops every metadata field except the frame layout the encoders need.
core::Status strip_metadata(Context& context);
// After encode: the BlurHash and dominant colour of the output, read back from its bytes.
core::Status placeholder(Context& context);

}  // namespace image_resize::imaging::steps
