#include "imaging/format_support.h"

#include <array>
#include <string>
#include <vips/vips8>

#include "core/log.h"
#include "imaging/encode.h"

namespace image_resize::imaging {
namespace {

constexpr std::array<core::ImageFormat, 7> kAllFormats{
    core::ImageFormat::jpeg, core::ImageFormat::png,  core::ImageFormat::webp,
    core::ImageFormat::avif, core::ImageFormat::heic, core::ImageFormat::gif,
    core::ImageFormat::tiff};

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
    case core::ImageFormat::avif:
    case core::ImageFormat::heic: return 1 << 30;  // beyond any limit we allow
  }
  return 0;
}

core::Result<core::ImageFormat> choose_output_format(core::OutputFormat requested,
                                                     core::ImageFormat input) {
  if (requested == core::OutputFormat::same) {
    return can_save(input) ? input : core::ImageFormat::png;
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
