#pragma once
// Form parts made from name/value pairs, as the multipart parser gives them to the form rules.

#include <string>
#include <utility>
#include <vector>

#include "http/multipart/form_parts.h"

namespace image_resize::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Parts whose data views point into `fields`, which must outlive them.
inline std::vector<FormPart> to_parts(const Fields& fields) {
  std::vector<FormPart> parts;
  for (const auto& [name, value] : fields) {
    parts.push_back(FormPart{name, name == "file" ? "in.png" : "", "", value});
  }
  return parts;
}

}  // namespace image_resize::http
