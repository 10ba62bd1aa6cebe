#include "imaging/vips_image_processor.h"

#include <utility>

#include "core/mapped_file.h"
#include "imaging/decode.h"
#include "imaging/frames.h"
#include "imaging/pipeline.h"
#include "imaging/plan.h"
#include "imaging/scoped_vips_thread_cleanup.h"
#include "imaging/vips_runtime.h"

namespace image_resize::imaging {

VipsImageProcessor::VipsImageProcessor() : runtime_status_(VipsRuntime::ensure_started()) {}

core::Result<ImageInfo> VipsImageProcessor::probe(std::string_view bytes,
                                                  const core::Limits& limits) {
  if (!runtime_status_.ok()) return runtime_status_.error();
  const ScopedVipsThreadCleanup cleanup;
  core::Result<SourceInfo> source = read_source_info(bytes, limits);
  if (!source.ok()) {
    // At upload, a header that cannot be read means the file is no usable image (docs/API.md: 422);
    // decode_failed is for pixels that fail later, in the worker.
    if (source.error().code == core::ErrorCode::decode_failed) {
      return core::Error::make(core::ErrorCode::unsupported_image,
                               "The image header could not be read: the file is truncated or "
                               "corrupt. Upload a complete, valid image.",
                               source.error().internal_message);
    }
    return source.error();
  }
  return ImageInfo{source->format, source->upright_width(), source->upright_height(),
                   source->frames};
}

core::Result<ResizedImage> VipsImageProcessor::resize(std::string_view bytes,
                                                      const core::ResizeSpec& spec,
                                                      const core::Limits& limits) {
  if (!runtime_status_.ok()) return runtime_status_.error();
  const ScopedVipsThreadCleanup cleanup;
  core::Result<SourceInfo> source = read_source_info(bytes, limits);
  if (!source.ok()) return source.error();
  core::Result<Context> context = plan_resize(bytes, spec, limits, *source);
  if (!context.ok()) return context.error();
  if (limits.max_processing_time.count() > 0) {
    context->deadline = std::chrono::steady_clock::now() + limits.max_processing_time;
  }

  core::Status status = Pipeline::standard().run(*context);
  if (!status.ok()) return status.error();
  return ResizedImage{.bytes = std::move(context->output),
                      .width = context->image.width(),
                      .height = frame_height(context->image),
                      .format = context->output_format,
                      .blurhash = std::move(context->placeholder.blurhash),
                      .dominant_colour = std::move(context->placeholder.dominant_colour)};
}

core::Result<ResizedImage> VipsImageProcessor::resize_file(int fd, const core::ResizeSpec& spec,
                                                           const core::Limits& limits) {
  auto mapped = core::MappedFile::map(fd);
  if (!mapped.ok()) return mapped.error();
  return resize(mapped->bytes(), spec, limits);
}

}  // namespace image_resize::imaging
