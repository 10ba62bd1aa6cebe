#include "imaging/jpeg_direct.h"

#include <algorithm>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include <csetjmp>
#include <cstdio>

namespace image_resize::imaging {
namespace {

// libjpeg reports errors by calling error_exit, which must not return: it jumps back into
// decode(). Warnings (corrupt data, a truncated file padded with an end marker) jump back too,
// so that such files are left to libvips and its fail_on rules.
struct ErrorManager {
  jpeg_error_mgr base{};
  std::jmp_buf jump{};
};

[[noreturn]] void give_up(j_common_ptr info) {
  std::longjmp(reinterpret_cast<ErrorManager*>(info->err)->jump, 1);
}

void on_message(j_common_ptr info, int level) {
  if (level < 0) give_up(info);  // a warning; levels 0 and up are trace messages
}

void silence(j_common_ptr /*info*/) {}

bool decodable(const jpeg_decompress_struct& info) {
  const bool colour = info.jpeg_color_space == JCS_YCbCr || info.jpeg_color_space == JCS_RGB;
  const bool grey = info.jpeg_color_space == JCS_GRAYSCALE;
  return info.data_precision == 8 && info.progressive_mode == FALSE &&
         ((colour && info.num_components == 3) || (grey && info.num_components == 1));
}

// Decodes into `pixels` (`size` bytes); false after an error or a refusal, with `pixels` still
// to free. No C++ object with a destructor lives between setjmp and a longjmp back to it.
bool decode(jpeg_decompress_struct& info, ErrorManager& errors, std::string_view bytes, int shrink,
            unsigned char*& pixels, std::size_t& size) {
  if (setjmp(errors.jump) != 0) return false;
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&info, TRUE);
  if (!decodable(info)) return false;
  info.scale_num = 1;
  info.scale_denom = static_cast<unsigned>(shrink);
  info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_calc_output_dimensions(&info);
  const std::size_t row = static_cast<std::size_t>(info.output_width) * info.out_color_components;
  size = row * info.output_height;
  if (size == 0 || size > kMaxDirectJpegBytes) return false;
  pixels = static_cast<unsigned char*>(g_try_malloc(size));
  if (pixels == nullptr) return false;
  jpeg_start_decompress(&info);
  while (info.output_scanline < info.output_height) {
    JSAMPROW rows[] = {pixels + row * info.output_scanline};
    jpeg_read_scanlines(&info, rows, 1);
  }
  jpeg_finish_decompress(&info);
  return true;
}

}  // namespace

std::optional<vips::VImage> decode_jpeg_directly(std::string_view bytes, int shrink) {
  jpeg_decompress_struct info{};
  ErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = give_up;
  errors.base.emit_message = on_message;
  errors.base.output_message = silence;
  unsigned char* pixels = nullptr;
  std::size_t size = 0;
  const bool decoded = decode(info, errors, bytes, shrink, pixels, size);
  const int width = static_cast<int>(info.output_width);
  const int height = static_cast<int>(info.output_height);
  const int bands = info.out_color_components;
  // libjpeg rounds a shrunk size up, keeping a partial last column and row; jpegload rounds
  // down and drops them.
  const int kept_width = std::max(1, static_cast<int>(info.image_width) / shrink);
  const int kept_height = std::max(1, static_cast<int>(info.image_height) / shrink);
  jpeg_destroy_decompress(&info);
  if (!decoded) {
    g_free(pixels);
    return std::nullopt;
  }
  // The image owns the buffer from here and g_frees it when its last reference goes.
  const vips::VImage image =
      vips::VImage::new_from_memory_steal(pixels, size, width, height, bands, VIPS_FORMAT_UCHAR);
  if (kept_width >= width && kept_height >= height) return image;
  return image.extract_area(0, 0, std::min(width, kept_width), std::min(height, kept_height));
}

}  // namespace image_resize::imaging
