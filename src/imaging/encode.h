#pragma once
// Writing the output: one saver per format, without metadata unless the client keeps it, with
// the quality the client asked for where the format is lossy.

#include <string>
#include <vips/vips8>

#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/pipeline.h"

namespace image_resize::imaging {

// How the savers that support them are set up; other formats ignore them.
struct EncodeFlags {
  bool progressive = false;    // jpeg progressive, png and gif interlaced
  bool lossless = false;       // webp, avif and jxl lossless
  bool keep_metadata = false;  // EXIF, XMP, IPTC and ICC as the image carries them (strip=false)
};

// The encoded bytes of `image` (every frame, for gif and webp). `quality` (1..100) is used by
// jpeg, webp, heic, avif and jxl (lossy). Throws vips::VError.
std::string save_to_buffer(const vips::VImage& image, core::ImageFormat format, int quality,
                           EncodeFlags flags = {});

// Step: context.output = context.image in context.output_format. This is where libvips computes
// the pixels (it is lazy), so decoding errors surface here.
core::Status encode(Context& context);

}  // namespace image_resize::imaging
