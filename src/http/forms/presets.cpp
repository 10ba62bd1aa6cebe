#include "http/forms/presets.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace image_resize::http {
namespace {

core::Error invalid(std::string message) {
  return core::Error::make(core::ErrorCode::invalid_variants, std::move(message));
}

bool has_name(const std::vector<VariantFields>& variants, std::string_view name) {
  return std::any_of(variants.begin(), variants.end(),
                     [name](const VariantFields& variant) { return variant.name == name; });
}

core::Result<std::vector<VariantFields>> parse_preset(const std::string& name,
                                                      const nlohmann::json& list,
                                                      const core::Limits& limits) {
  const std::string preset = std::string("preset '").append(name).append("'");
  if (!is_variant_name(name)) {
    return invalid(preset + ": a preset's name is 1 to " + std::to_string(kMaxVariantName) +
                   " characters of a-z, 0-9, _ and -");
  }
  if (!list.is_array() || list.empty() || list.size() > kMaxVariants) {
    return invalid(preset + ": must be a list of 1 to " + std::to_string(kMaxVariants) +
                   " variants");
  }
  std::vector<VariantFields> variants;
  for (std::size_t index = 0; index < list.size(); ++index) {
    const std::string where = preset + ", variant " + std::to_string(index);
    auto variant = parse_variant(list[index]);
    if (!variant) return variant_error(where, variant.error());
    if (has_name(variants, variant->name)) {
      return invalid(where + ": the name '" + variant->name + "' is used twice in the preset");
    }
    if (auto spec = resolve_variant(FormFields{}, *variant, limits); !spec) {
      return variant_error(where + " ('" + variant->name + "')", spec.error());
    }
    variants.push_back(std::move(*variant));
  }
  return variants;
}

}  // namespace

core::Result<Presets> Presets::parse(std::string_view json, const core::Limits& limits) {
  const auto presets = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (presets.is_discarded() || !presets.is_object() || presets.empty()) {
    return invalid(
        R"(must be a JSON object of presets, each a list of variants: {"thumb": [{"name": )"
        R"("thumb", "width": 150}]})");
  }
  Presets parsed;
  for (const auto& [name, list] : presets.items()) {
    auto variants = parse_preset(name, list, limits);
    if (!variants) return variants.error();
    parsed.presets_.emplace(name, std::move(*variants));
  }
  return parsed;
}

const std::vector<VariantFields>* Presets::find(std::string_view name) const {
  const auto it = presets_.find(name);
  return it == presets_.end() ? nullptr : &it->second;
}

std::string Presets::names() const {
  std::string names;
  for (const auto& [name, variants] : presets_) {
    if (!names.empty()) names.append(", ");
    names.append(name);
  }
  return names;
}

}  // namespace image_resize::http
