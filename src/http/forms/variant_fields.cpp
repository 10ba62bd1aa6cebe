#include "http/forms/variant_fields.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "http/forms/spec_fields.h"

namespace image_resize::http {
namespace {

core::Error invalid(std::string message) {
  return core::Error::make(core::ErrorCode::invalid_variants, std::move(message));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// A value as a form would send it, so that the form's rules read it; nullopt for arrays,
// objects and null.
std::optional<std::string> as_form_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::string output_field_list() {
  std::string list;
  for (const std::string_view field : kOutputFields) list.append(", ").append(field);
  return list;
}

}  // namespace

bool is_variant_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxVariantName &&
         std::all_of(name.begin(), name.end(), is_name_char);
}

core::Result<VariantFields> parse_variant(const nlohmann::json& object) {
  if (!object.is_object()) {
    return invalid(R"(a variant must be an object like {"name": "thumb", "width": 150})");
  }
  const auto name = object.find("name");
  if (name == object.end() || !name->is_string() ||
      !is_variant_name(name->get_ref<const std::string&>())) {
    return invalid("name must be 1 to " + std::to_string(kMaxVariantName) +
                   " characters of a-z, 0-9, _ and -");
  }
  VariantFields variant{.name = name->get<std::string>(), .values = {}};
  for (const auto& [field, value] : object.items()) {
    if (field == "name") continue;
    if (!is_output_field(field)) {
      return invalid(std::string("unknown field '")
                         .append(field)
                         .append("'; a variant takes name")
                         .append(output_field_list()));
    }
    auto text = as_form_text(value);
    if (!text) return invalid(field + " must be a string, a number, true or false");
    variant.values.emplace(field, std::move(*text));
  }
  return variant;
}

core::Result<core::ResizeSpec> resolve_variant(const FormFields& upload,
                                               const VariantFields& variant,
                                               const core::Limits& limits) {
  std::vector<FormPart> parts;
  parts.reserve(variant.values.size());  // the fields below point into these parts
  for (const auto& [field, value] : variant.values) parts.push_back(FormPart{field, "", "", value});
  FormFields fields = upload;
  if (variant.values.contains("width") || variant.values.contains("height")) {
    fields.erase("width");
    fields.erase("height");
  }
  for (const FormPart& part : parts) fields.set(part);
  core::ResizeSpec spec;
  if (auto status = read_spec_fields(fields, limits, SizeRule::required, spec); !status) {
    return status.error();
  }
  return spec;
}

core::Error variant_error(std::string_view where, const core::Error& cause) {
  return invalid(std::string(where).append(": ").append(cause.public_message));
}

}  // namespace image_resize::http
