#pragma once
// The floor of issue #18: the least a libvips program does to resize a JPEG, as a libvips user
// would write it. Shrink-on-load by the largest power of two that keeps the target size, one
// lanczos3 reduce to exactly the size asked for, encode at the asked quality with libvips'
// defaults. No limits, deadline, colour management, rotation or metadata handling.
// bench-baseline --floor runs it beside the service, so the service's CPU per task is read
// against what libvips itself needs on this machine.

#include <string_view>

#include "imaging/image_processor.h"

namespace image_resize::bench {

class BareLibvipsProcessor final : public imaging::ImageProcessor {
 public:
  core::Result<imaging::ImageInfo> probe(std::string_view bytes,
                                         const core::Limits& limits) override;
  // JPEG in, JPEG out (spec.width and spec.height both set); unsupported_image otherwise.
  core::Result<imaging::ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                             const core::Limits& limits) override;
  // Not used by the benchmark: unsupported_image.
  core::Result<imaging::ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                                  const core::Limits& limits) override;
};

}  // namespace image_resize::bench
