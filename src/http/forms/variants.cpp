#include "http/forms/variants.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "http/forms/spec_fields.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

core::Error invalid(std::string message) {
  return core::Error::make(ErrorCode::invalid_variants, std::move(message));
}

// What the upload names besides its own fields.
struct Requested {
  const FormPart* variants = nullptr;  // non-empty, or nullptr
  std::vector<std::string_view> presets;
  bool any() const { return variants != nullptr || !presets.empty(); }
};

// A variant and where the upload asked for it ("variants[2]", "preset 'card'"), for messages.
struct Source {
  std::string where{};
  const VariantFields* fields = nullptr;
};

core::Result<Requested> find_requested(const std::vector<FormPart>& parts) {
  Requested requested;
  int variants_fields = 0;
  for (const FormPart& part : parts) {
    if (part.data.empty()) continue;  // as HTML forms send fields left blank
    if (part.name == "preset") requested.presets.push_back(part.data);
    if (part.name != "variants") continue;
    if (++variants_fields > 1) {
      return core::Error::make(ErrorCode::malformed_request,
                               "the form field 'variants' is given more than once");
    }
    requested.variants = &part;
  }
  return requested;
}

core::Status check_only_presets(const FormFields& upload, const Requested& requested,
                                const Presets& presets) {
  const std::string only =
      std::string("this server resizes to its presets only (").append(presets.names()).append(")");
  auto refuse = [&only](std::string_view what) {
    return core::Error::make(ErrorCode::presets_only, std::string(only).append(": ").append(what));
  };
  if (requested.variants != nullptr) {
    return refuse("name them in 'preset' fields instead of sending 'variants'");
  }
  for (const std::string_view free_size : {"width", "height", "dpr"}) {
    if (upload.part(free_size) != nullptr) {
      return refuse(std::string("leave out ").append(free_size).append(" and name a preset"));
    }
  }
  if (requested.presets.empty()) return refuse("name one in a 'preset' field");
  return {};
}

core::Status check_count(std::size_t count) {
  if (count <= kMaxVariants) return {};
  return invalid("an upload may ask for at most " + std::to_string(kMaxVariants) +
                 " variants, variants and presets together; this one asks for " +
                 std::to_string(count));
}

core::Result<std::vector<VariantFields>> parse_variants_field(std::string_view text) {
  if (text.size() > kMaxVariantsFieldBytes) {
    return invalid("variants is longer than " + std::to_string(kMaxVariantsFieldBytes) + " bytes");
  }
  const auto list = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (list.is_discarded() || !list.is_array() || list.empty()) {
    return invalid(R"(variants must be a JSON array of variants like [{"name": "thumb", )"
                   R"("width": 150}, {"name": "large", "width": 1200}])");
  }
  if (auto count = check_count(list.size()); !count) return count.error();
  std::vector<VariantFields> variants;
  for (std::size_t index = 0; index < list.size(); ++index) {
    auto variant = parse_variant(list[index]);
    if (!variant) {
      return variant_error(std::string("variants[").append(std::to_string(index)).append("]"),
                           variant.error());
    }
    variants.push_back(std::move(*variant));
  }
  return variants;
}

core::Status add_preset(std::string_view name, const Presets& presets,
                        std::vector<Source>& sources) {
  const std::vector<VariantFields>* variants = presets.find(name);
  if (variants == nullptr) {
    // The name is echoed only when it could be one.
    const std::string unknown = is_variant_name(name)
                                    ? std::string("unknown preset '").append(name).append("'")
                                    : std::string("unknown preset");
    return core::Error::make(ErrorCode::unknown_preset,
                             presets.empty() ? unknown + "; this server has no presets"
                                             : unknown + "; the presets are " + presets.names());
  }
  for (const VariantFields& variant : *variants) {
    sources.push_back(
        Source{.where = std::string("preset '").append(name).append("'"), .fields = &variant});
  }
  return {};
}

core::Status check_unique_names(const std::vector<Source>& sources) {
  std::map<std::string_view, const Source*> seen;
  for (const Source& source : sources) {
    const auto [first, added] = seen.emplace(source.fields->name, &source);
    if (!added) {
      return invalid("the variant name '" + source.fields->name + "' is used twice, by " +
                     first->second->where + " and by " + source.where);
    }
  }
  return {};
}

// `given` (the `variants` field's) and each requested preset's, checked for count and names.
core::Result<std::vector<Source>> gather(const std::vector<VariantFields>& given,
                                         const Requested& requested, const Presets& presets) {
  std::vector<Source> sources;
  for (std::size_t index = 0; index < given.size(); ++index) {
    sources.push_back(
        Source{.where = std::string("variants[").append(std::to_string(index)).append("]"),
               .fields = &given[index]});
  }
  for (const std::string_view name : requested.presets) {
    if (auto added = add_preset(name, presets, sources); !added) return added.error();
  }
  if (auto count = check_count(sources.size()); !count) return count.error();
  if (auto names = check_unique_names(sources); !names) return names.error();
  return sources;
}

}  // namespace

core::Result<std::vector<Variant>> parse_variants(const std::vector<FormPart>& parts,
                                                  const Presets& presets, bool only_presets,
                                                  const core::Limits& limits) {
  auto upload = FormFields::collect(parts);
  if (!upload) return upload.error();
  auto requested = find_requested(parts);
  if (!requested) return requested.error();
  if (only_presets) {
    if (auto allowed = check_only_presets(*upload, *requested, presets); !allowed) {
      return allowed.error();
    }
  }
  if (!requested->any()) return std::vector<Variant>{};
  // The upload's own fields first, so that their mistakes get their own codes.
  core::ResizeSpec upload_spec;
  if (auto own = read_spec_fields(*upload, limits, SizeRule::optional, upload_spec); !own) {
    return own.error();
  }
  std::vector<VariantFields> given;
  if (requested->variants != nullptr) {
    auto parsed = parse_variants_field(requested->variants->data);
    if (!parsed) return parsed.error();
    given = std::move(*parsed);
  }
  auto sources = gather(given, *requested, presets);
  if (!sources) return sources.error();
  std::vector<Variant> variants;
  for (const Source& source : *sources) {
    auto spec = resolve_variant(*upload, *source.fields, limits);
    if (!spec) {
      return variant_error(source.where + " ('" + source.fields->name + "')", spec.error());
    }
    variants.push_back(Variant{.name = source.fields->name, .spec = *spec});
  }
  return variants;
}

}  // namespace image_resize::http
