#include "imaging/vips_image_processor.h"

#include <utility>

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
  if (!source.ok()) return source.error();
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

  core::Status status = Pipeline::standard().run(*context);
  if (!status.ok()) return status.error();
  return ResizedImage{std::move(context->output), context->image.width(),
                      frame_height(context->image), context->output_format};
}

}  // namespace image_resize::imaging
