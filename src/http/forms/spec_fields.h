#pragma once
// The rules of the fields that make a ResizeSpec (docs/API.md): one place, for the upload form
// and for each variant of an upload or of the presets file.

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "http/forms/form_fields.h"

namespace image_resize::http {

// Whether width or height must be given: always for an output; not for an upload whose
// variants give them.
enum class SizeRule { required, optional };

// Sets `spec` from the fields present; the others keep its value. Rules: `width`/`height`
// integers 1..max_output_side, at least one under SizeRule::required (invalid_size); `fit`,
// `format`, `priority` one of their names, any case, with "jpg"/"tif" for jpeg/tiff
// (invalid_fit, invalid_format, invalid_priority); `quality` 1..100 (invalid_quality);
// `background` #rrggbb or #rrggbbaa (invalid_background); `gravity` one of its names, any case,
// with "center" for centre (invalid_gravity; any fit, used by cover only); `dpr` an integer 1..4
// with width and height × dpr still within max_output_side (invalid_dpr); `progressive`,
// `lossless`, `strip` true or false, any case (invalid_progressive, invalid_lossless,
// invalid_strip); `crop` x,y,w,h with x, y ≥ 0 and w, h ≥ 1 (invalid_crop; the image's bounds
// are checked against the image). `format` also takes auto and jxl. An empty field counts as
// absent, but for width and height.
core::Status read_spec_fields(const FormFields& fields, const core::Limits& limits,
                              SizeRule size_rule, core::ResizeSpec& spec);

}  // namespace image_resize::http
