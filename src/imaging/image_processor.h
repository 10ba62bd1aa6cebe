#pragma once
// Port: everything the service asks of the imaging library. The one implementation is libvips
// (VipsImageProcessor); nothing outside imaging/ includes <vips/vips8>.
// Thread safety: every method may be called from many threads at once.

#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"

namespace image_resize::imaging {

struct ImageInfo {
  core::ImageFormat format = core::ImageFormat::jpeg;  // detected from the bytes
  int width = 0;
  int height = 0;  // of one frame
  int frames = 1;
};

struct ResizedImage {
  std::string bytes;
  int width = 0;
  int height = 0;  // of one frame
  core::ImageFormat format = core::ImageFormat::png;
  // A placeholder for a page to show before the image loads (placeholder.h); empty when the
  // output could not be read back.
  std::string blurhash{};
  std::string dominant_colour{};  // "#rrggbb"
};

// What this build does with one format (GET /api/v1/formats).
struct FormatSupport {
  core::ImageFormat format = core::ImageFormat::jpeg;
  bool read = false;   // accepted as an upload
  bool write = false;  // available as an output format
  bool alpha = false;
  bool animation = false;
};

// Every format, decided at runtime from this libvips build (VipsRuntime must have started).
std::vector<FormatSupport> supported_formats();

class ImageProcessor {
 public:
  virtual ~ImageProcessor() = default;

  // Reads only the header. Errors: unsupported_image (not an image, a format we do not accept,
  // or a loader libvips marks untrusted), image_too_large (over limits.max_input_pixels or
  // limits.max_frames).
  virtual core::Result<ImageInfo> probe(std::string_view bytes, const core::Limits& limits) = 0;

  // Decodes, auto-rotates, converts to sRGB, resizes as the spec says, strips metadata and
  // encodes. Errors: decode_failed (corrupt or truncated input), image_too_large, encode_failed,
  // unsupported_image.
  virtual core::Result<ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                            const core::Limits& limits) = 0;

  // The same for the image in the open regular file `fd` (the caller keeps it open for the
  // call and closes it after). Reads the file where it is, without a copy in this process's
  // memory: a worker passes its input blob's file. ErrorCode::internal when it cannot be read.
  virtual core::Result<ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                                 const core::Limits& limits) = 0;

  // How many resizes the caller runs at once from now on (an operator changed a worker's
  // concurrency), so that what is kept ready for them can follow. Nothing to do by default.
  virtual void set_concurrency(int /*resizes_at_once*/) {}
};

}  // namespace image_resize::imaging
