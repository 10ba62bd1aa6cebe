#include "imaging/pipeline.h"

#include "imaging/decode.h"
#include "imaging/encode.h"
#include "imaging/steps/steps.h"
#include "imaging/vips_error.h"

namespace image_resize::imaging {
namespace {

core::Status run_step(const Step& step, Context& context) {
  try {
    return step.run(context);
  } catch (...) {
    return translate_current_exception(step.on_library_error, step.name);
  }
}

bool past(const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  return deadline && std::chrono::steady_clock::now() >= *deadline;
}

core::Error timed_out(const Context& context, std::string_view step) {
  const auto ms = context.limits.max_processing_time.count();
  const std::string allowed =
      ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
  return core::Error::make(core::ErrorCode::timeout,
                           "Resizing this image took longer than the " + allowed +
                               " this server allows; send a smaller image.",
                           "processing deadline passed in step " + std::string(step));
}

}  // namespace

const Pipeline& Pipeline::standard() {
  using core::ErrorCode;
  // libvips is lazy: pixels are decoded only when encode pulls them, so a truncated or corrupt
  // input fails inside encode. Failures that are the encoder's own (no saver for the format,
  // the format's size limits) are ruled out by plan_resize() before the pipeline starts, so a
  // libvips error in any step is reported as the input's fault: decode_failed.
  static const Pipeline pipeline({
      {"decode", decode, ErrorCode::decode_failed},
      {"to_srgb", steps::to_srgb, ErrorCode::decode_failed},
      {"crop", steps::crop, ErrorCode::decode_failed},
      {"flatten", steps::flatten, ErrorCode::decode_failed},
      {"embed", steps::embed, ErrorCode::decode_failed},
      {"strip_metadata", steps::strip_metadata, ErrorCode::decode_failed},
      {"encode", encode, ErrorCode::decode_failed},
      {"placeholder", steps::placeholder, ErrorCode::internal},
  });
  return pipeline;
}

core::Status Pipeline::run(Context& context) const {
  for (const Step& step : steps_) {
    // Checked after the step whether it failed or not: a step libvips was told to stop fails
    // with a libvips error, which is the deadline's doing, not the input's.
    core::Status status = run_step(step, context);
    if (past(context.deadline)) return timed_out(context, step.name);
    if (!status.ok()) return status;
  }
  return {};
}

}  // namespace image_resize::imaging
