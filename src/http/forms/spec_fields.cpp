#include "http/forms/spec_fields.h"

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "http/forms/bounded_int.h"
#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

constexpr int kMinQuality = 1;
constexpr int kMaxQuality = 100;

core::Status read_size(const FormFields& fields, int max_side, SizeRule size_rule,
                       core::ResizeSpec& spec) {
  const std::string range = max_side == std::numeric_limits<int>::max()
                                ? std::string("a positive integer")
                                : "an integer from 1 to " + std::to_string(max_side);
  const std::array<std::pair<std::string_view, std::optional<int>*>, 2> sides{
      {{"width", &spec.width}, {"height", &spec.height}}};
  for (const auto& [name, target] : sides) {
    const FormPart* given = fields.part(name);
    if (given == nullptr) continue;
    // Present but empty is a mistake, as in the original API, not "absent": leave it out.
    if (given->data.empty()) {
      return core::Error::make(ErrorCode::invalid_size, std::string(name) + " is empty: give " +
                                                            range + ", or leave the field out");
    }
    const auto size = parse_bounded_int(given->data, 1, max_side);
    if (!size) {
      return core::Error::make(ErrorCode::invalid_size, std::string(name) + " must be " + range);
    }
    *target = *size;
  }
  if (size_rule == SizeRule::required && !spec.width && !spec.height) {
    return core::Error::make(ErrorCode::invalid_size,
                             "give width or height (or both), each " + range);
  }
  return {};
}

// Any fit takes it; only cover uses it.
core::Status read_gravity(const FormFields& fields, core::ResizeSpec& spec) {
  const auto text = fields.value("gravity");
  if (!text) return {};
  std::string name = text::ascii_lower(*text);
  if (name == "center") name = "centre";
  const auto gravity = core::parse_gravity(name);
  if (!gravity) {
    return core::Error::make(ErrorCode::invalid_gravity,
                             "gravity must be one of centre, north, south, east, west, "
                             "northeast, northwest, southeast, southwest, attention, entropy");
  }
  spec.gravity = *gravity;
  return {};
}

// Enum fields: case-insensitive, with the common aliases of format and gravity names.
core::Status read_enums(const FormFields& fields, core::ResizeSpec& spec) {
  if (const auto text = fields.value("fit")) {
    const auto fit = core::parse_fit(text::ascii_lower(*text));
    if (!fit) {
      return core::Error::make(ErrorCode::invalid_fit,
                               "fit must be one of fill, inside, cover, contain");
    }
    spec.fit = *fit;
  }
  if (const auto text = fields.value("format")) {
    std::string name = text::ascii_lower(*text);
    if (name == "jpg") name = "jpeg";
    if (name == "tif") name = "tiff";
    const auto format = core::parse_output_format(name);
    if (!format) {
      return core::Error::make(
          ErrorCode::invalid_format,
          "format must be one of same, auto, jpeg, png, webp, avif, gif, tiff, jxl");
    }
    spec.format = *format;
  }
  if (const auto text = fields.value("priority")) {
    const auto priority = core::parse_priority(text::ascii_lower(*text));
    if (!priority) {
      return core::Error::make(ErrorCode::invalid_priority,
                               "priority must be one of high, normal, low");
    }
    spec.priority = *priority;
  }
  return read_gravity(fields, spec);
}

// `dpr` multiplies the size asked for, which must still be within the output limit.
core::Status read_dpr(const FormFields& fields, int max_side, core::ResizeSpec& spec) {
  const auto text = fields.value("dpr");
  if (!text) return {};
  const auto dpr = parse_bounded_int(*text, 1, core::kMaxDpr);
  if (!dpr) {
    return core::Error::make(ErrorCode::invalid_dpr,
                             "dpr must be an integer from 1 to " + std::to_string(core::kMaxDpr));
  }
  for (const auto& side : {spec.width, spec.height}) {
    if (side && *side > max_side / *dpr) {
      return core::Error::make(ErrorCode::invalid_dpr,
                               "width and height times dpr must be at most " +
                                   std::to_string(max_side) + "; ask for a smaller size or dpr");
    }
  }
  spec.dpr = *dpr;
  return {};
}

// "true" or "false", any case.
core::Status read_flag(const FormFields& fields, std::string_view name, ErrorCode code,
                       bool& flag) {
  const auto text = fields.value(name);
  if (!text) return {};
  const std::string value = text::ascii_lower(*text);
  if (value != "true" && value != "false") {
    return core::Error::make(code, std::string(name) + " must be true or false");
  }
  flag = value == "true";
  return {};
}

core::Status read_encoding_flags(const FormFields& fields, core::ResizeSpec& spec) {
  if (auto status =
          read_flag(fields, "progressive", ErrorCode::invalid_progressive, spec.progressive);
      !status) {
    return status;
  }
  if (auto status = read_flag(fields, "lossless", ErrorCode::invalid_lossless, spec.lossless);
      !status) {
    return status;
  }
  return read_flag(fields, "strip", ErrorCode::invalid_strip, spec.strip);
}

// The rectangle's form only; whether it lies inside the image is checked against the image.
core::Status read_crop(const FormFields& fields, core::ResizeSpec& spec) {
  const auto text = fields.value("crop");
  if (!text) return {};
  spec.crop = core::parse_crop(*text);
  if (!spec.crop) {
    return core::Error::make(ErrorCode::invalid_crop,
                             "crop must be x,y,w,h in pixels of the image: x and y from 0, w and "
                             "h from 1, e.g. crop=100,50,400,300");
  }
  return {};
}

core::Status read_quality_and_background(const FormFields& fields, core::ResizeSpec& spec) {
  if (const auto text = fields.value("quality")) {
    const auto quality = parse_bounded_int(*text, kMinQuality, kMaxQuality);
    if (!quality) {
      return core::Error::make(ErrorCode::invalid_quality,
                               "quality must be an integer from 1 to 100");
    }
    spec.quality = *quality;
  }
  if (const auto text = fields.value("background")) {
    const auto colour = core::parse_rgba(*text);
    if (!colour) {
      return core::Error::make(ErrorCode::invalid_background,
                               "background must be a hex colour #rrggbb or #rrggbbaa");
    }
    spec.background = *colour;
  }
  return {};
}

}  // namespace

core::Status read_spec_fields(const FormFields& fields, const core::Limits& limits,
                              SizeRule size_rule, core::ResizeSpec& spec) {
  const int max_side =
      limits.max_output_side > 0 ? limits.max_output_side : std::numeric_limits<int>::max();
  if (auto status = read_size(fields, max_side, size_rule, spec); !status) return status;
  if (auto status = read_enums(fields, spec); !status) return status;
  if (auto status = read_quality_and_background(fields, spec); !status) return status;
  if (auto status = read_dpr(fields, max_side, spec); !status) return status;
  if (auto status = read_encoding_flags(fields, spec); !status) return status;
  return read_crop(fields, spec);
}

}  // namespace image_resize::http
