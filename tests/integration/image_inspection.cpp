// The libvips side of the integration helpers: what a downloaded result really is, decoded
// independently of the server (format by magic bytes, size and metadata by libvips).
#include <mutex>
#include <vips/vips8>

#include "integration/api_helpers.h"

namespace image_resize::integration {

namespace {

void ensure_vips() {
  static std::once_flag once;
  std::call_once(once, [] { vips_init("image-resize-integration-tests"); });
}

bool starts_with(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

}  // namespace

std::string sniff_format(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return "jpeg";
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return "png";
  if (starts_with(bytes, "RIFF"sv) && starts_with(bytes, "WEBP"sv, 8)) return "webp";
  if (starts_with(bytes, "GIF87a"sv) || starts_with(bytes, "GIF89a"sv)) return "gif";
  if (starts_with(bytes, "II*\0"sv) || starts_with(bytes, "MM\0*"sv)) return "tiff";
  if (starts_with(bytes, "ftyp"sv, 4)) {
    const std::string_view brand = bytes.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "avif";
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1") return "heic";
  }
  // JPEG XL: a bare codestream, or the ISO BMFF container.
  if (starts_with(bytes, "\xFF\x0A"sv) || starts_with(bytes, "\0\0\0\x0CJXL \r\n\x87\n"sv))
    return "jxl";
  return "";
}

std::optional<ImageInfo> inspect_image(std::string_view bytes) {
  ensure_vips();
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    ImageInfo info;
    info.format = sniff_format(bytes);
    info.width = image.width();
    info.height = vips_image_get_page_height(image.get_image());
    info.pages = info.height > 0 ? image.height() / info.height : 1;
    info.bands = image.bands();
    info.has_alpha = image.has_alpha();
    gchar** names = vips_image_get_fields(image.get_image());
    for (gchar** name = names; name && *name; ++name) info.fields.emplace_back(*name);
    g_strfreev(names);
    return info;
  } catch (const vips::VError&) {
    vips_error_clear();
    return std::nullopt;
  }
}

std::vector<double> pixel_at(std::string_view bytes, int x, int y) {
  ensure_vips();
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    return image.getpoint(x, y);
  } catch (const vips::VError& error) {
    ADD_FAILURE() << "cannot read pixel (" << x << ", " << y << "): " << error.what();
    vips_error_clear();
    return {};
  }
}

namespace {

std::string encode(const vips::VImage& image, const char* suffix) {
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

}  // namespace

std::string extract_area_png(std::string_view bytes, int left, int top, int width, int height) {
  ensure_vips();
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    return encode(image.extract_area(left, top, width, height), ".png");
  } catch (const vips::VError& error) {
    ADD_FAILURE() << "cannot crop: " << error.what();
    vips_error_clear();
    return "";
  }
}

int exif_orientation(std::string_view bytes) {
  ensure_vips();
  try {
    const vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    if (image.get_typeof(VIPS_META_ORIENTATION) == 0) return 1;
    return image.get_int(VIPS_META_ORIENTATION);
  } catch (const vips::VError& error) {
    ADD_FAILURE() << "cannot read: " << error.what();
    vips_error_clear();
    return 0;
  }
}

std::string blank_image(int width, int height, int bands, const char* suffix) {
  ensure_vips();
  return encode(vips::VImage::black(width, height, vips::VImage::option()->set("bands", bands)),
                suffix);
}

}  // namespace image_resize::integration
