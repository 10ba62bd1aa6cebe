#pragma once
// LimitsChecker: the one place that compares an image's size with core::Limits, so that probe(),
// decode and the output plan refuse the same things with the same messages. Checks run on
// header values only, before any pixel is decoded: a decompression bomb costs nothing.

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"

namespace image_resize::imaging {

class LimitsChecker {
 public:
  explicit LimitsChecker(const core::Limits& limits) : limits_(limits) {}

  // Right after a header-only open: frames against max_frames, and width × height × frames
  // against max_input_pixels. Errors: image_too_large; unsupported_image for a header with
  // no size at all.
  core::Status check_input(int width, int height, int frames) const;
  // For an input libvips must decode whole (progressive JPEG, interlaced PNG), after
  // check_input: width × height against max_interlaced_pixels. Errors: image_too_large.
  core::Status check_interlaced(int width, int height, core::ImageFormat format) const;

  // Before resizing: each side of one output frame against max_output_side.
  // Errors: image_too_large.
  core::Status check_output(int width, int height) const;

 private:
  const core::Limits limits_;
};

}  // namespace image_resize::imaging
