#include "imaging/format_detection.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vips/vips8>

namespace image_resize::imaging {
namespace {

constexpr std::string_view kAccepted = "jpeg, png, webp, gif, tiff, heic or avif";

// Loader nicknames (stable across builds, unlike type names: pngload_buffer is libpng or spng).
constexpr std::array<std::pair<std::string_view, core::ImageFormat>, 6> kLoaders{{
    {"jpegload_buffer", core::ImageFormat::jpeg},
    {"pngload_buffer", core::ImageFormat::png},
    {"webpload_buffer", core::ImageFormat::webp},
    {"gifload_buffer", core::ImageFormat::gif},
    {"tiffload_buffer", core::ImageFormat::tiff},
    {"heifload_buffer", core::ImageFormat::heic},  // or avif: see has_avif_brand
}};

std::optional<core::ImageFormat> format_of_loader(std::string_view nickname) {
  for (const auto& [name, format] : kLoaders) {
    if (name == nickname) return format;
  }
  return std::nullopt;
}

}  // namespace

bool can_load(core::ImageFormat format) {
  const core::ImageFormat container =
      format == core::ImageFormat::avif ? core::ImageFormat::heic : format;
  for (const auto& [name, loader_format] : kLoaders) {
    if (loader_format == container) {
      return vips_type_find("VipsOperation", std::string(name).c_str()) != 0;
    }
  }
  return false;
}

namespace {

bool is_avif_brand(std::string_view brand) { return brand == "avif" || brand == "avis"; }

core::Error unsupported(std::string public_message, std::string internal_message) {
  return core::Error::make(core::ErrorCode::unsupported_image, std::move(public_message),
                           std::move(internal_message));
}

}  // namespace

bool has_avif_brand(std::string_view bytes) {
  // ISO BMFF: [size:4][ "ftyp" ][major brand:4][minor version:4][compatible brands:4 each]
  if (bytes.size() < 16 || bytes.substr(4, 4) != "ftyp") return false;
  if (is_avif_brand(bytes.substr(8, 4))) return true;
  const auto byte = [&](std::size_t i) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[i]));
  };
  const std::size_t box_size = (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
  const std::size_t end = std::min(box_size, bytes.size());
  for (std::size_t at = 16; at + 4 <= end; at += 4) {
    if (is_avif_brand(bytes.substr(at, 4))) return true;
  }
  return false;
}

core::Result<core::ImageFormat> detect_format(std::string_view bytes) {
  if (bytes.empty()) {
    return unsupported("The file is empty. Upload a " + std::string(kAccepted) + " image.",
                       "empty input");
  }
  const char* type_name = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  if (type_name == nullptr) {
    vips_error_clear();
    return unsupported("The file is not an image in an accepted format. Upload a " +
                           std::string(kAccepted) + " image.",
                       "no libvips loader recognises the bytes");
  }
  const char* nickname = vips_nickname_find(g_type_from_name(type_name));
  const std::string_view loader = nickname != nullptr ? nickname : type_name;
  const std::optional<core::ImageFormat> format = format_of_loader(loader);
  if (!format) {
    // e.g. "svgload_buffer" → "svg"; ImageMagick's loader says nothing useful, so name no format.
    std::string name(loader.substr(0, loader.find("load")));
    const std::string what =
        (name.empty() || name == "magick") ? "This image format is" : name + " images are";
    return unsupported(what + " not accepted. Upload a " + std::string(kAccepted) + " image.",
                       "loader " + std::string(loader) + " is not accepted");
  }
  if (*format == core::ImageFormat::heic && has_avif_brand(bytes)) return core::ImageFormat::avif;
  return *format;
}

}  // namespace image_resize::imaging
