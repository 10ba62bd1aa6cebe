#pragma once
// What each output format can hold, and which ones libvips can write on this machine (decided
// at runtime: a libvips build may lack a saver, or libheif an encoder).

#include "core/resize_spec.h"
#include "core/result.h"

namespace image_resize::imaging {

// Whether libvips can write `format` here. The first call tries every saver once (a tiny
// image through the heif encoders, for example); later calls are a lookup. Thread-safe.
bool can_save(core::ImageFormat format);

bool supports_alpha(core::ImageFormat format);      // all but jpeg
bool supports_animation(core::ImageFormat format);  // gif and webp
// The largest width or height the format can store.
int max_side(core::ImageFormat format);

// format=same gives the input's format, or png when libvips cannot write it; any other
// request gives that format. Errors: encode_failed when libvips cannot write the asked format.
core::Result<core::ImageFormat> choose_output_format(core::OutputFormat requested,
                                                     core::ImageFormat input);

}  // namespace image_resize::imaging
