#include "imaging/webp_metadata.h"

#include <array>
#include <cstdint>

namespace image_resize::imaging {
namespace {

// RIFF container: "RIFF" <size:u32le> "WEBP", then chunks of <fourcc> <size:u32le> <payload>,
// each payload padded to an even length.
constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kChunkHeaderSize = 8;
constexpr std::array<std::string_view, 3> kMetadataChunks{"EXIF", "XMP ", "ICCP"};
// VP8X flag bits that announce the chunks we remove.
constexpr unsigned char kIccFlag = 0x20;
constexpr unsigned char kExifFlag = 0x08;
constexpr unsigned char kXmpFlag = 0x04;

std::uint32_t read_u32le(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

void write_u32le(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

bool is_metadata(std::string_view fourcc) {
  for (std::string_view name : kMetadataChunks) {
    if (name == fourcc) return true;
  }
  return false;
}

}  // namespace

std::string strip_webp_metadata(std::string_view webp) {
  if (webp.size() < kHeaderSize || webp.substr(0, 4) != "RIFF" || webp.substr(8, 4) != "WEBP") {
    return std::string(webp);
  }
  std::string out(webp.substr(0, kHeaderSize));
  std::size_t at = kHeaderSize;
  while (at < webp.size()) {
    if (webp.size() - at < kChunkHeaderSize) return std::string(webp);
    const std::string_view fourcc = webp.substr(at, 4);
    const std::size_t padded =
        (static_cast<std::size_t>(read_u32le(webp, at + 4)) + 1) & ~std::size_t{1};
    if (padded > webp.size() - at - kChunkHeaderSize) return std::string(webp);
    if (!is_metadata(fourcc)) {
      const std::size_t start = out.size();
      out.append(webp.substr(at, kChunkHeaderSize + padded));
      if (fourcc == "VP8X" && padded > 0) {
        out[start + kChunkHeaderSize] =
            static_cast<char>(static_cast<unsigned char>(out[start + kChunkHeaderSize]) &
                              ~(kIccFlag | kExifFlag | kXmpFlag));
      }
    }
    at += kChunkHeaderSize + padded;
  }
  write_u32le(out, 4, static_cast<std::uint32_t>(out.size() - 8));
  return out;
}

}  // namespace image_resize::imaging
