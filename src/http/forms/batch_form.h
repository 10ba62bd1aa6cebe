#pragma once
// An upload that makes a batch: several `file` parts, or outputs asked for by `variants` or
// `preset` fields (variants.h). Each file × variant becomes a task; the outputs of one file
// share its stored input. An upload with one file (or a `url`) and neither is a single upload:
// parse_resize_form's, answered as before.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/result.h"
#include "http/forms/presets.h"
#include "http/forms/variants.h"
#include "http/multipart/form_parts.h"

namespace image_resize::http {

struct BatchFileForm {
  std::string_view bytes;  // a view into the request body
  std::string name;        // the part's filename, or "file-<n>" (1-based) when it has none
};

struct BatchForm {
  std::vector<BatchFileForm> files;  // empty for a `url`
  std::string source_url;
  std::string callback_url;
  // At least one. An upload that names no variants has one, unnamed: its own fields.
  std::vector<Variant> variants;
};

// nullopt for a single upload. Rules: more `file` parts than limits.max_batch_files is
// too_many_files; an empty one no_file; several files and a `url` conflicting_source; the rest
// as parse_variants and parse_resize_form (with a size required only when no variant gives it).
// A batch's tasks are `low` priority unless the upload sends `priority`.
core::Result<std::optional<BatchForm>> parse_batch_form(const std::vector<FormPart>& parts,
                                                        const Presets& presets, bool only_presets,
                                                        const core::Limits& limits);

}  // namespace image_resize::http
