#pragma once
// format=auto reads the upload request's Accept header (RFC 9110 §12.5.1) for the modern image
// formats a browser names: image/avif and image/webp. Wildcards (image/*, */*) promise nothing
// about them, as imgproxy and thumbor also decide.

#include <string_view>

#include "core/resize_spec.h"

namespace image_resize::http {

// A type counts when it is named with a q-value above 0; malformed items are skipped.
core::AcceptedFormats accepted_image_formats(std::string_view accept);

}  // namespace image_resize::http
