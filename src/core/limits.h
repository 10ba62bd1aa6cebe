#pragma once
// One limits object for everything a client can make us spend. 0 means unlimited.
// The HTTP layer enforces the upload size; imaging checks the rest from the image header,
// before anything is decoded.

#include <cstdint>

namespace image_resize::core {

struct Limits {
  // Bytes in one upload request body. Larger bodies get 413 before they are read.
  std::uint64_t max_upload_bytes = 50ULL * 1024 * 1024;
  // width × height × frames of an input, read from its header. Bigger inputs (decompression
  // bombs) get 422 image_too_large without being decoded.
  std::uint64_t max_input_pixels = 100'000'000;
  // Largest width or height a client may ask for, and an output may have.
  int max_output_side = 10'000;
  // Frames of an animated input (GIF, WebP). More get 422 image_too_large.
  int max_frames = 100;
};

}  // namespace image_resize::core
