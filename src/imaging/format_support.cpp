#include "imaging/format_support.h"

#include <array>
#include <string>
#include <vips/vips8>

#include "core/log.h"
#include "imaging/encode.h"
#include "imaging/format_detection.h"
#include "imaging/image_processor.h"
#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

constexpr std::array<core::ImageFormat, 8> kAllFormats{
    core::ImageFormat::jpeg, core::ImageFormat::png,  core::ImageFormat::webp,
    core::ImageFormat::avif, core::ImageFormat::heic, core::ImageFormat::gif,
    core::ImageFormat::tiff, core::ImageFormat::jxl};

// Saving a tiny image is the only sure test: heifsave exists even when libheif has no encoder
// for AV1 or HEVC.
bool try_save(core::ImageFormat format) {
  try {
    const vips::VImage sample =
        vips::VImage::black(16, 16, vips::VImage::option()->set("bands", 3));
    return !save_to_buffer(sample, format, 50).empty();
  } catch (const vips::VError& error) {
    core::log::warn("libvips cannot write this format; it will not be offered",
                    {{"format", std::string(core::to_string(format))}, {"detail", error.what()}});
    vips_error_clear();
    return false;
  }
}

std::size_t index_of(core::ImageFormat format) { return static_cast<std::size_t>(format); }

}  // namespace

bool can_save(core::ImageFormat format) {
  static const std::array<bool, kAllFormats.size()> saveable = [] {
    std::array<bool, kAllFormats.size()> result{};
    for (core::ImageFormat f : kAllFormats) result[index_of(f)] = try_save(f);
    return result;
  }();
  return saveable[index_of(format)];
}

std::vector<FormatSupport> supported_formats() {
  std::vector<FormatSupport> formats;
  if (!VipsRuntime::ensure_started().ok()) return formats;
  for (core::ImageFormat format : kAllFormats) {
    formats.push_back({.format = format,
                       .read = can_load(format),
                       .write = can_save(format),
                       .alpha = supports_alpha(format),
                       .animation = supports_animation(format)});
  }
  return formats;
}

bool supports_alpha(core::ImageFormat format) { return format != core::ImageFormat::jpeg; }

bool supports_animation(core::ImageFormat format) {
  return format == core::ImageFormat::gif || format == core::ImageFormat::webp;
}

int max_side(core::ImageFormat format) {
  switch (format) {
    case core::ImageFormat::webp: return 16383;
    case core::ImageFormat::jpeg:
    case core::ImageFormat::gif: return 65535;
    case core::ImageFormat::png:
    case core::ImageFormat::tiff:
    case core::ImageFormat::jxl:
    case core::ImageFormat::avif:
    case core::ImageFormat::heic: return 1 << 30;  // beyond any limit we allow
  }
  return 0;
}

core::ImageFormat choose_automatic_format(const core::AcceptedFormats& accepts,
                                          const SourceInfo& source) {
  const bool animated = source.frames > 1;
  // AVIF here cannot hold an animation; WebP can.
  if (accepts.avif && !animated && can_save(core::ImageFormat::avif)) {
    return core::ImageFormat::avif;
  }
  if (accepts.webp && can_save(core::ImageFormat::webp)) return core::ImageFormat::webp;
  switch (source.format) {
    case core::ImageFormat::jpeg:
    case core::ImageFormat::png: return source.format;
    case core::ImageFormat::gif:
      if (animated) return core::ImageFormat::gif;
      break;
    default: break;
  }
  return source.has_alpha ? core::ImageFormat::png : core::ImageFormat::jpeg;
}

core::Result<core::ImageFormat> choose_output_format(const core::ResizeSpec& spec,
                                                     const SourceInfo& source) {
  const core::OutputFormat requested = spec.format;
  if (requested == core::OutputFormat::automatic) {
    return choose_automatic_format(spec.accepts, source);
  }
  if (requested == core::OutputFormat::same) {
    return can_save(source.format) ? source.format : core::ImageFormat::png;
  }
  const std::optional<core::ImageFormat> format =
      core::parse_image_format(core::to_string(requested));
  if (!format) {
    return core::Error::make(
        core::ErrorCode::internal, "An internal error occurred.",
        "no image format for output format " + std::string(core::to_string(requested)));
  }
  if (!can_save(*format)) {
    return core::Error::make(core::ErrorCode::encode_failed,
                             "This server cannot write " + std::string(core::to_string(*format)) +
                                 " images. Ask for another format, such as png or jpeg.");
  }
  return *format;
}

}  // namespace image_resize::imaging
