#pragma once
// What each output format can hold, and which ones libvips can write on this machine (decided
// at runtime: a libvips build may lack a saver, or libheif an encoder).

#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/source_info.h"

namespace image_resize::imaging {

// Whether libvips can write `format` here. The first call tries every saver once (a tiny
// image through the heif encoders, for example); later calls are a lookup. Thread-safe.
bool can_save(core::ImageFormat format);

bool supports_alpha(core::ImageFormat format);      // all but jpeg
bool supports_animation(core::ImageFormat format);  // gif and webp
// The largest width or height the format can store.
int max_side(core::ImageFormat format);

// format=auto (after imgproxy and thumbor): AVIF if the client accepts it (and the image is
// still), then WebP, then the input's own format when it is JPEG, PNG or an animated GIF, else
// PNG for an image with alpha and JPEG for one without.
core::ImageFormat choose_automatic_format(const core::AcceptedFormats& accepts,
                                          const SourceInfo& source);

// format=same gives the input's format, or png when libvips cannot write it; auto, see
// choose_automatic_format; any other request gives that format. Errors: encode_failed when
// libvips cannot write the asked format.
core::Result<core::ImageFormat> choose_output_format(const core::ResizeSpec& spec,
                                                     const SourceInfo& source);

}  // namespace image_resize::imaging
