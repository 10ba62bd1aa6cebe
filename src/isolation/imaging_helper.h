#pragma once
// The loop of `image-resize imaging-helper`, the process IsolatedImageProcessor starts: one
// resize at a time, request in, reply out, on the socket it was given.

#include "imaging/image_processor.h"

namespace image_resize::isolation {

// Serves resize requests on `socket` with `images` until the parent closes it (or sends
// something that is not a request). Returns the process exit code.
int serve_resize_requests(int socket, imaging::ImageProcessor& images);

}  // namespace image_resize::isolation
