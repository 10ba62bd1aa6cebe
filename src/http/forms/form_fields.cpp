#include "http/forms/form_fields.h"

#include <algorithm>

namespace image_resize::http {
namespace {

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool is_output_field(std::string_view name) { return listed(kOutputFields, name); }

core::Result<FormFields> FormFields::collect(const std::vector<FormPart>& parts) {
  FormFields fields;
  for (const FormPart& part : parts) {
    if (!is_output_field(part.name) && !listed(kUploadFields, part.name)) continue;
    if (!fields.by_name_.emplace(part.name, &part).second) {
      return core::Error::make(core::ErrorCode::malformed_request,
                               "the form field '" + part.name + "' is given more than once");
    }
  }
  return fields;
}

const FormPart* FormFields::part(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::optional<std::string_view> FormFields::value(std::string_view name) const {
  const FormPart* found = part(name);
  if (found == nullptr || found->data.empty()) return std::nullopt;
  return found->data;
}

void FormFields::erase(std::string_view name) {
  if (const auto it = by_name_.find(name); it != by_name_.end()) by_name_.erase(it);
}

}  // namespace image_resize::http
