#pragma once
// The ImageProcessor port implemented with libvips: probe reads only the header; resize runs
// Pipeline::standard() on one libvips thread. Safe to call from many threads at once; each call
// cleans up its thread's libvips state when it ends.

#include <string_view>

#include "core/result.h"
#include "imaging/image_processor.h"

namespace image_resize::imaging {

class VipsImageProcessor final : public ImageProcessor {
 public:
  // Starts libvips (once per process, see VipsRuntime). If that fails, every call returns the
  // failure as ErrorCode::internal.
  VipsImageProcessor();

  // ImageInfo's width and height are one frame as displayed, after EXIF rotation.
  core::Result<ImageInfo> probe(std::string_view bytes, const core::Limits& limits) override;
  core::Result<ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                    const core::Limits& limits) override;
  // Maps the file and resizes the mapped bytes.
  core::Result<ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                         const core::Limits& limits) override;

 private:
  // Constant after construction.
  const core::Status runtime_status_;
};

}  // namespace image_resize::imaging
