#pragma once
// One limits object for everything a client can make us spend. 0 means unlimited.
// The HTTP layer enforces the upload size; imaging checks the rest from the image header,
// before anything is decoded.

#include <chrono>
#include <cstdint>

namespace image_resize::core {

struct Limits {
  // Bytes in one upload request body. Larger bodies get 413 before they are read.
  std::uint64_t max_upload_bytes = 50ULL * 1024 * 1024;
  // width × height × frames of an input, read from its header. Bigger inputs (decompression
  // bombs) get 422 image_too_large without being decoded.
  std::uint64_t max_input_pixels = 100'000'000;
  // width × height of a progressive JPEG or an interlaced PNG. libvips cannot stream those: it
  // decodes them whole (a progressive JPEG keeps every DCT coefficient, ~6 bytes a pixel, where
  // a baseline one needs a few rows), so they get this lower limit; bigger ones get 422
  // image_too_large. 25 MP is a 6000×4000 photo, ~150 MB to decode.
  std::uint64_t max_interlaced_pixels = 25'000'000;
  // Largest width or height a client may ask for, and an output may have.
  int max_output_side = 10'000;
  // Frames of an animated input (GIF, WebP). More get 422 image_too_large.
  int max_frames = 100;
  // `file` parts in one upload: each file times each variant becomes a task of one batch. Not
  // unlimited: a batch's answer lists every task.
  int max_batch_files = 32;
  // Tasks waiting or running at once. Uploads beyond it get 503 queue_full with Retry-After:
  // a backlog that only grows helps nobody, and the client can come back.
  std::uint64_t max_queue_depth = 10'000;
  // Time for one task's decode, resize and encode. Past it libvips is stopped in the middle of
  // its work and the task ends FAILURE `timeout` (not retried: it would take as long again).
  std::chrono::milliseconds max_processing_time{30'000};

  bool operator==(const Limits&) const = default;
};

}  // namespace image_resize::core
