#include "imaging/png_direct.h"

#include <libdeflate.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace image_resize::imaging {
namespace {

constexpr std::string_view kSignature{"\x89PNG\r\n\x1a\n", 8};

std::uint32_t big_endian(const unsigned char* at) {
  return (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) | (std::uint32_t{at[2]} << 8) |
         std::uint32_t{at[3]};
}

struct Header {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  int bands = 0;  // 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
};

// IHDR's 13 bytes, if they describe an image this decoder takes.
std::optional<Header> read_header(const unsigned char* data) {
  const std::uint32_t width = big_endian(data);
  const std::uint32_t height = big_endian(data + 4);
  const unsigned depth = data[8];
  const unsigned colour_type = data[9];
  const bool standard = data[10] == 0 && data[11] == 0;  // deflate, adaptive filtering
  const bool interlaced = data[12] != 0;
  if (width == 0 || height == 0 || width > 0x7FFFFFFF || height > 0x7FFFFFFF || depth != 8 ||
      !standard || interlaced) {
    return std::nullopt;
  }
  switch (colour_type) {
    case 0: return Header{width, height, 1};
    case 4: return Header{width, height, 2};
    case 2: return Header{width, height, 3};
    case 6: return Header{width, height, 4};
    default: return std::nullopt;  // palette, or not a colour type
  }
}

// Four ASCII letters, as the PNG specification (5.4) requires of a chunk type.
bool valid_type(std::string_view type) {
  for (char c : type) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

// The header and the concatenated IDAT data, when every chunk is whole, its CRC right, and
// none changes pixels in a way this decoder does not follow.
struct Chunks {
  Header header;
  std::string data;
};

std::optional<Chunks> read_chunks(std::string_view bytes) {
  if (!bytes.starts_with(kSignature)) return std::nullopt;
  const auto* at = reinterpret_cast<const unsigned char*>(bytes.data()) + kSignature.size();
  std::size_t left = bytes.size() - kSignature.size();
  std::optional<Header> header;
  std::string data;
  bool seen_data = false;
  bool seen_palette = false;
  while (left >= 12) {
    const std::uint32_t length = big_endian(at);
    if (length > left - 12) return std::nullopt;
    const std::string_view type(reinterpret_cast<const char*>(at + 4), 4);
    const unsigned char* body = at + 8;
    if (libdeflate_crc32(0, at + 4, 4 + std::size_t{length}) != big_endian(body + length)) {
      return std::nullopt;
    }
    if (!valid_type(type) || (seen_data && type != "IDAT" && type != "IEND")) {
      return std::nullopt;  // libpng refuses a malformed type, and IDATs apart
    }
    if (type == "IHDR") {
      if (header || length != 13 || !(header = read_header(body))) return std::nullopt;
    } else if (!header) {
      return std::nullopt;  // IHDR comes first
    } else if (type == "IDAT") {
      data.append(reinterpret_cast<const char*>(body), length);
      seen_data = true;
    } else if (type == "IEND") {
      return Chunks{*header, std::move(data)};
    } else if (type == "PLTE") {
      // A suggested palette, which RGB images may carry; libpng checks its shape.
      if (seen_palette || length == 0 || length % 3 != 0 || length > 768) return std::nullopt;
      seen_palette = true;
    } else if (type == "tRNS") {
      return std::nullopt;  // a transparent colour: pngload turns it into an alpha band
    } else if ((type[0] & 0x20) == 0) {
      return std::nullopt;  // an unknown critical chunk
    }
    at += 12 + std::size_t{length};
    left -= 12 + std::size_t{length};
  }
  return std::nullopt;  // no IEND: truncated
}

int paeth(int left, int up, int up_left) {
  const int estimate = left + up - up_left;
  const int to_left = std::abs(estimate - left);
  const int to_up = std::abs(estimate - up);
  const int to_up_left = std::abs(estimate - up_left);
  if (to_left <= to_up && to_left <= to_up_left) return left;
  return to_up <= to_up_left ? up : up_left;
}

// One row from its filtered bytes; `prior` is the row above, unfiltered (zeros for the first).
bool unfilter_row(unsigned filter, const unsigned char* in, const unsigned char* prior,
                  unsigned char* out, std::size_t length, std::size_t step) {
  switch (filter) {
    case 0: std::memcpy(out, in, length); return true;
    case 1:
      for (std::size_t i = 0; i < length; ++i) {
        out[i] = static_cast<unsigned char>(in[i] + (i >= step ? out[i - step] : 0));
      }
      return true;
    case 2:
      for (std::size_t i = 0; i < length; ++i)
        out[i] = static_cast<unsigned char>(in[i] + prior[i]);
      return true;
    case 3:
      for (std::size_t i = 0; i < length; ++i) {
        const int left = i >= step ? out[i - step] : 0;
        out[i] = static_cast<unsigned char>(in[i] + ((left + prior[i]) >> 1));
      }
      return true;
    case 4:
      for (std::size_t i = 0; i < length; ++i) {
        const int left = i >= step ? out[i - step] : 0;
        const int up_left = i >= step ? prior[i - step] : 0;
        out[i] = static_cast<unsigned char>(in[i] + paeth(left, prior[i], up_left));
      }
      return true;
    default: return false;
  }
}

// Colour × alpha ÷ 255, rounded, for every pixel of `pixels` whose last band is alpha.
void premultiply_in_place(unsigned char* pixels, std::size_t count, int bands) {
  for (std::size_t p = 0; p < count; ++p) {
    unsigned char* pixel = pixels + p * static_cast<std::size_t>(bands);
    const unsigned alpha = pixel[bands - 1];
    for (int b = 0; b < bands - 1; ++b) {
      const unsigned product = pixel[b] * alpha + 128;
      pixel[b] = static_cast<unsigned char>((product + (product >> 8)) >> 8);
    }
  }
}

struct DecompressorFree {
  void operator()(libdeflate_decompressor* decompressor) const {
    libdeflate_free_decompressor(decompressor);
  }
};

struct PixelsFree {
  void operator()(unsigned char* pixels) const { g_free(pixels); }
};

}  // namespace

std::optional<vips::VImage> decode_png_directly(std::string_view bytes, bool premultiply) {
  const std::optional<Chunks> chunks = read_chunks(bytes);
  if (!chunks) return std::nullopt;
  const Header& header = chunks->header;
  const std::size_t row = std::size_t{header.width} * static_cast<std::size_t>(header.bands);
  if (row > kMaxDirectPngBytes / header.height) return std::nullopt;
  const std::size_t size = row * header.height;

  // Each filtered row is one filter byte and the row's bytes.
  const std::size_t filtered_size = (row + 1) * header.height;
  const auto filtered = std::make_unique_for_overwrite<unsigned char[]>(filtered_size);
  const std::unique_ptr<libdeflate_decompressor, DecompressorFree> inflater(
      libdeflate_alloc_decompressor());
  if (!inflater ||
      libdeflate_zlib_decompress(inflater.get(), chunks->data.data(), chunks->data.size(),
                                 filtered.get(), filtered_size, nullptr) != LIBDEFLATE_SUCCESS) {
    return std::nullopt;  // corrupt, or not exactly the image's size
  }
  std::unique_ptr<unsigned char, PixelsFree> pixels(
      static_cast<unsigned char*>(g_try_malloc(size)));
  if (!pixels) return std::nullopt;
  const std::vector<unsigned char> zeros(row, 0);
  for (std::size_t y = 0; y < header.height; ++y) {
    const unsigned char* in = filtered.get() + y * (row + 1);
    unsigned char* out = pixels.get() + y * row;
    const unsigned char* prior = y == 0 ? zeros.data() : out - row;
    if (!unfilter_row(in[0], in + 1, prior, out, row, static_cast<std::size_t>(header.bands))) {
      return std::nullopt;
    }
  }
  const bool has_alpha = header.bands == 2 || header.bands == 4;
  if (premultiply && has_alpha) {
    premultiply_in_place(pixels.get(), std::size_t{header.width} * header.height, header.bands);
  }
  // The image owns the buffer from here and g_frees it when its last reference goes.
  const vips::VImage image = vips::VImage::new_from_memory_steal(
      pixels.release(), size, static_cast<int>(header.width), static_cast<int>(header.height),
      header.bands, VIPS_FORMAT_UCHAR);
  // As pngload labels it (libvips would guess "multiband" for two bands).
  return image.copy(vips::VImage::option()->set(
      "interpretation", header.bands <= 2 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB));
}

}  // namespace image_resize::imaging
