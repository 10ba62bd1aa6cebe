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
  });
  return pipeline;
}

core::Status Pipeline::run(Context& context) const {
  for (const Step& step : steps_) {
    // A processing deadline belongs here (STYLE.md principle 3): a later issue checks it between
    // steps and attaches a libvips eval kill callback in encode, where the pixels are computed.
    core::Status status = run_step(step, context);
    if (!status.ok()) return status;
  }
  return {};
}

}  // namespace image_resize::imaging
