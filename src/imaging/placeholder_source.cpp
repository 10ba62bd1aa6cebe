#include "imaging/placeholder_source.h"

#include <algorithm>
#include <array>

#include "imaging/jpeg_direct.h"
#include "imaging/png_direct.h"
#include "imaging/vips_blob.h"

namespace image_resize::imaging {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

std::optional<vips::VImage> decode_directly(std::string_view encoded) {
  using namespace std::string_view_literals;
  if (starts_with(encoded, "\xFF\xD8\xFF"sv)) return decode_jpeg_directly(encoded, 8);
  if (starts_with(encoded, "\x89PNG\r\n\x1A\n"sv)) return decode_png_directly(encoded, false);
  return std::nullopt;
}

// libvips' way, for every other format: its thumbnail (shrink-on-load where the format has it),
// as 8-bit sRGB with alpha if any.
std::optional<vips::VImage> thumbnail_of(std::string_view encoded) {
  // The blob borrows the bytes: they outlive this call.
  const VipsBlobPtr blob(vips_blob_new(nullptr, encoded.data(), encoded.size()));
  // Down only: a 10x10 image stays 10x10 (enlarging adds nothing to a blur).
  vips::VImage image = vips::VImage::thumbnail_buffer(
      blob.get(), kPlaceholderSide,
      vips::VImage::option()->set("height", kPlaceholderSide)->set("size", VIPS_SIZE_DOWN));
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  if (image.bands() > 4) image = image.extract_band(0, vips::VImage::option()->set("n", 4));
  if (image.bands() != 3 && image.bands() != 4) return std::nullopt;
  return image.copy_memory();
}

}  // namespace

SmallImage reduce_to_rgba(const std::uint8_t* pixels, int width, int height, int bands,
                          std::size_t stride, int max_side) {
  const int box = std::max(1, (std::max(width, height) + max_side - 1) / max_side);
  SmallImage small{
      .rgba = {}, .width = (width + box - 1) / box, .height = (height + box - 1) / box};
  small.rgba.reserve(static_cast<std::size_t>(small.width) * small.height * 4);
  for (int oy = 0; oy < small.height; ++oy) {
    for (int ox = 0; ox < small.width; ++ox) {
      std::array<unsigned, 4> sums{};
      unsigned count = 0;
      for (int y = oy * box; y < std::min(height, (oy + 1) * box); ++y) {
        const std::uint8_t* row = pixels + static_cast<std::size_t>(y) * stride;
        for (int x = ox * box; x < std::min(width, (ox + 1) * box); ++x) {
          const std::uint8_t* p = row + static_cast<std::size_t>(x) * bands;
          const bool colour = bands >= 3;
          sums[0] += p[0];
          sums[1] += colour ? p[1] : p[0];
          sums[2] += colour ? p[2] : p[0];
          sums[3] += bands == 2 || bands == 4 ? p[bands - 1] : 255;
          ++count;
        }
      }
      for (unsigned sum : sums)
        small.rgba.push_back(static_cast<std::uint8_t>((sum + count / 2) / count));
    }
  }
  return small;
}

std::optional<SmallImage> small_image_of(std::string_view encoded) {
  std::optional<vips::VImage> image = decode_directly(encoded);
  if (!image) image = thumbnail_of(encoded);
  if (!image) return std::nullopt;
  const auto* pixels = static_cast<const std::uint8_t*>(image->data());
  const int bands = image->bands();
  return reduce_to_rgba(pixels, image->width(), image->height(), bands,
                        static_cast<std::size_t>(image->width()) * static_cast<std::size_t>(bands),
                        kPlaceholderSide);
}

}  // namespace image_resize::imaging
