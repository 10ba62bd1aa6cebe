#pragma once
// An ImageProcessor around libvips that acts on the fault markers (fault_markers.h) before it
// resizes: the imaging of the helper processes of image-resize-fault-hooks, and only of those.

#include <memory>

#include "imaging/image_processor.h"

namespace image_resize::testing {

class FaultInjectingProcessor final : public imaging::ImageProcessor {
 public:
  explicit FaultInjectingProcessor(std::unique_ptr<imaging::ImageProcessor> inner)
      : inner_(std::move(inner)) {}

  core::Result<imaging::ImageInfo> probe(std::string_view bytes,
                                         const core::Limits& limits) override;
  core::Result<imaging::ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                             const core::Limits& limits) override;
  core::Result<imaging::ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                                  const core::Limits& limits) override;

 private:
  std::unique_ptr<imaging::ImageProcessor> inner_;
};

}  // namespace image_resize::testing
