#pragma once
// The outputs one upload asks for beyond its own fields: the `variants` form field (a JSON array
// of variants, variant_fields.h) and repeated `preset` fields (names in --presets-file), each
// made into a named ResizeSpec. The upload route does not read them yet: with the batch step
// each becomes its own task (docs/design/batches.md).

#include <cstddef>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "http/forms/presets.h"
#include "http/multipart/form_parts.h"

namespace image_resize::http {

struct Variant {
  std::string name{};
  core::ResizeSpec spec;
};

// Longest `variants` field: 16 variants of every output field fit in far less.
inline constexpr std::size_t kMaxVariantsFieldBytes = 16 * 1024;

// Empty when the upload asks for neither: its one output is its own fields (parse_resize_form).
// Otherwise the `variants` in order, then each named preset's in the order of the `preset`
// fields (an empty one is skipped), each resolved over the upload's fields (resolve_variant).
// Errors, in the order they are checked:
// - `variants` given twice: malformed_request;
// - with `only_presets`, a `variants` field, a `width`, `height` or `dpr` (a free size), or no
//   preset: presets_only;
// - a field of the upload itself: that field's code (read_spec_fields, no size required);
// - `variants` not a JSON array of 1..kMaxVariants objects, over kMaxVariantsFieldBytes, or a
//   bad variant: invalid_variants, naming `variants[i]` and the field;
// - a preset that does not exist: unknown_preset, with the names that do;
// - more than kMaxVariants in all, or a name used twice: invalid_variants;
// - a variant whose resolved fields break a rule (the upload's dpr times its width over the
//   limit, say): invalid_variants, naming it.
core::Result<std::vector<Variant>> parse_variants(const std::vector<FormPart>& parts,
                                                  const Presets& presets, bool only_presets,
                                                  const core::Limits& limits);

}  // namespace image_resize::http
