#pragma once
// The decode step for a spec with a crop: the rectangle of the upright source is cut out first,
// and the rest of the resize sees only it. One path for every input format, through libvips'
// loaders (the direct JPEG and PNG decoders are for the uncropped path).

#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/geometry.h"
#include "imaging/pipeline.h"

namespace image_resize::imaging {

// The factor a JPEG is shrunk by on load (1, 2, 4 or 8) for a crop: the largest that keeps the
// crop, shrunk, at least geometry.scaled_* in both directions.
int jpeg_crop_shrink(const core::CropRect& crop, const Geometry& geometry);

// `crop` (of an upright image) divided by `shrink`, rounded, at least 1 pixel and moved or
// narrowed to stay inside `upright_width` × `upright_height` (the shrunk image).
core::CropRect shrink_crop(const core::CropRect& crop, int shrink, int upright_width,
                           int upright_height);

// Where `upright` (a rectangle of the image as displayed) lies in the image as stored, of
// `stored_width` × `stored_height`, with EXIF `orientation` 1..8: autorot of the stored
// rectangle is the upright one. Orientations 5..8 swap width and height.
core::CropRect stored_crop(const core::CropRect& upright, int orientation, int stored_width,
                           int stored_height);

// Step decode with context.spec.crop set: context.image = the crop of the input (every frame
// when keep_animation), resized to exactly geometry.scaled_* per frame, upright, colour-managed
// as the uncropped path does. Truncated or corrupt data fails (fail_on=error) instead of giving
// grey pixels, wherever the loader reads it; but the loaders read sequentially and stop after
// the crop's last row, so a crop wholly above the point where a JPEG is cut off decodes from the
// pixels that are there.
core::Status decode_cropped(Context& context);

}  // namespace image_resize::imaging
