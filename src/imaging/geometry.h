#pragma once
// The sizes of a resize, worked out from the header before any pixel is decoded, so the output
// can be checked against the limits first and every step knows its target. Pure arithmetic.

#include "core/resize_spec.h"

namespace image_resize::imaging {

struct Geometry {
  // What decode's shrink-on-load thumbnail produces for one frame (exactly, size=force).
  int scaled_width = 0;
  int scaled_height = 0;
  // One frame of the output: scaled, then cropped (cover) or padded (contain) to this.
  int target_width = 0;
  int target_height = 0;
};

// `source_width` × `source_height` is one frame as displayed (after EXIF rotation). The box is
// spec.width × spec.height times spec.dpr.
// With one of spec.width/height missing, it follows the aspect ratio and every fit gives the
// same result. Otherwise: fill = exactly the box; inside = within the box, aspect kept;
// cover = the box, scaled to cover it then cropped; contain = the box, scaled inside then padded.
// Every side is at least 1.
Geometry plan_geometry(int source_width, int source_height, const core::ResizeSpec& spec);

}  // namespace image_resize::imaging
