#pragma once
// What the header of an input says, read before anything is decoded.

#include "core/resize_spec.h"

namespace image_resize::imaging {

struct SourceInfo {
  core::ImageFormat format = core::ImageFormat::jpeg;
  int width = 0;  // one frame, as stored
  int height = 0;
  int frames = 1;       // > 1 only for animated GIF and WebP; other formats use their first image
  int orientation = 1;  // EXIF orientation 1..8; 5..8 turn the image by 90°
  bool has_icc_profile = false;  // an embedded colour profile, to convert to sRGB with
  bool srgb_profile = false;     // ...which is sRGB already (is_srgb_profile): nothing to convert
  bool interlaced = false;       // a progressive JPEG or interlaced PNG: libvips decodes it whole
  bool has_alpha = false;        // for format=auto: PNG rather than JPEG

  // The pixels need converting to sRGB through the embedded profile.
  bool needs_colour_management() const { return has_icc_profile && !srgb_profile; }
  bool turned_by_orientation() const { return orientation >= 5 && orientation <= 8; }
  // The size as displayed, after auto-rotation.
  int upright_width() const { return turned_by_orientation() ? height : width; }
  int upright_height() const { return turned_by_orientation() ? width : height; }
};

}  // namespace image_resize::imaging
