#pragma once
// One variant of an upload as JSON writes it (the `variants` form field, the presets file): a
// name and the output fields it sets, laid over the upload's own fields to make its ResizeSpec.

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "http/forms/form_fields.h"

namespace image_resize::http {

// Most outputs one upload may ask for, variants and presets together: each will be a task.
inline constexpr std::size_t kMaxVariants = 16;
// Variant and preset names are 1..kMaxVariantName of [a-z0-9_-]: safe in file and entry names.
inline constexpr std::size_t kMaxVariantName = 32;

struct VariantFields {
  std::string name{};
  // Output field (kOutputFields) → its value as form text, e.g. "width" → "150".
  std::map<std::string, std::string, std::less<>> values{};
};

bool is_variant_name(std::string_view name);

// {"name": "thumb", <output field>: <string, number or boolean>, ...}: invalid_variants naming the
// field, but not the variant (the caller knows which it is).
core::Result<VariantFields> parse_variant(const nlohmann::json& object);

// The variant's output: `upload`'s fields with the variant's in place of them, by
// read_spec_fields with a size required (and its error codes). A variant that gives width or
// height takes neither from the upload: its size is its own.
core::Result<core::ResizeSpec> resolve_variant(const FormFields& upload,
                                               const VariantFields& variant,
                                               const core::Limits& limits);

// invalid_variants: "<where>: <what the cause says>", e.g. "variants[2] ('thumb'): quality must
// be an integer from 1 to 100".
core::Error variant_error(std::string_view where, const core::Error& cause);

}  // namespace image_resize::http
