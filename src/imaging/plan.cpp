#include "imaging/plan.h"

#include <string>

#include "imaging/format_support.h"
#include "imaging/limits_checker.h"

namespace image_resize::imaging {

core::Result<Context> plan_resize(std::string_view bytes, const core::ResizeSpec& spec,
                                  const core::Limits& limits, const SourceInfo& source) {
  core::Result<core::ImageFormat> output_format = choose_output_format(spec, source);
  if (!output_format.ok()) return output_format.error();

  Context context;
  context.input = bytes;
  context.spec = spec;
  context.limits = limits;
  context.source = source;
  context.output_format = *output_format;
  context.keep_animation = source.frames > 1 && supports_animation(*output_format);
  // With a crop, the resize sees only the cropped rectangle (of one frame, upright), as if it
  // were the whole image.
  core::Status crop_fits = core::check_crop(spec, source.upright_width(), source.upright_height());
  if (!crop_fits.ok()) return crop_fits.error();
  context.geometry = spec.crop
                         ? plan_geometry(spec.crop->width, spec.crop->height, spec)
                         : plan_geometry(source.upright_width(), source.upright_height(), spec);

  const Geometry& g = context.geometry;
  core::Status within_limits = LimitsChecker(limits).check_output(g.target_width, g.target_height);
  if (!within_limits.ok()) return within_limits.error();
  const int format_side = max_side(*output_format);
  if (g.target_width > format_side || g.target_height > format_side) {
    return core::Error::make(core::ErrorCode::encode_failed,
                             std::string(core::to_string(*output_format)) +
                                 " images can be at most " + std::to_string(format_side) +
                                 " pixels wide or high. Ask for a smaller size or another format.");
  }
  return context;
}

}  // namespace image_resize::imaging
