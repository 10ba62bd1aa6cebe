#pragma once
// The known fields of the resize form by name, each at most once: what the upload form's rules
// (spec_fields.h) read, whether from an upload or from a variant laid over it.

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/multipart/form_parts.h"

namespace image_resize::http {

// The fields that shape one output: what a variant may set (docs/API.md).
inline constexpr std::array<std::string_view, 12> kOutputFields{
    "width", "height",      "fit",      "format", "quality", "background",
    "dpr",   "progressive", "lossless", "strip",  "gravity", "crop"};
// The fields of the upload itself, shared by all its outputs.
inline constexpr std::array<std::string_view, 4> kUploadFields{"file", "url", "priority",
                                                               "callback_url"};

bool is_output_field(std::string_view name);

// Views into the parts it was made from, which must outlive it.
class FormFields {
 public:
  // The parts named in kOutputFields or kUploadFields; others are ignored. A known field given
  // twice is malformed_request.
  static core::Result<FormFields> collect(const std::vector<FormPart>& parts);

  const FormPart* part(std::string_view name) const;
  // The value of an optional text field; nullopt when absent or empty (as HTML forms send
  // fields left blank).
  std::optional<std::string_view> value(std::string_view name) const;

  // `part` in place of any field of its name.
  void set(const FormPart& part) { by_name_.insert_or_assign(part.name, &part); }
  void erase(std::string_view name);

 private:
  std::map<std::string_view, const FormPart*, std::less<>> by_name_;
};

}  // namespace image_resize::http
