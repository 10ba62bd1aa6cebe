#include "http/forms/resize_form.h"

#include <string>
#include <utility>

#include "http/forms/form_fields.h"
#include "http/forms/spec_fields.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

// Longer addresses are refused before they are parsed: no image host needs more.
constexpr std::size_t kMaxUrlLength = 4096;

// Where the image comes from: the bytes in `file`, or an address in `url` (exactly one). An empty
// `file` counts as absent beside a `url`: a browser sends an empty file part for a file input
// left blank.
core::Status read_source(const FormFields& fields, ResizeForm& form) {
  const FormPart* file = fields.part("file");
  const auto url = fields.value("url");
  if (url) {
    if (file != nullptr && !file->data.empty()) {
      return core::Error::make(
          ErrorCode::conflicting_source,
          "send the image either in 'file' or as an address in 'url', not both");
    }
    form.source_url = std::string(*url);
    return {};
  }
  if (file == nullptr) {
    return core::Error::make(
        ErrorCode::no_file, "send the image in a form field named 'file', or its address in 'url'");
  }
  if (file->data.empty()) {
    return core::Error::make(ErrorCode::no_file, "the 'file' field is empty; attach an image");
  }
  form.file = file->data;
  form.filename = file->filename;
  return {};
}

core::Status check_url_lengths(const ResizeForm& form) {
  for (const auto& [name, url] :
       {std::pair<std::string_view, const std::string*>{"url", &form.source_url},
        {"callback_url", &form.callback_url}}) {
    if (url->size() > kMaxUrlLength) {
      return core::Error::make(
          ErrorCode::invalid_url,
          std::string(name) + " is longer than " + std::to_string(kMaxUrlLength) + " characters");
    }
  }
  return {};
}

}  // namespace

core::Result<ResizeForm> parse_resize_form(const std::vector<FormPart>& parts,
                                           const core::Limits& limits, SizeRule size_rule) {
  auto fields = FormFields::collect(parts);
  if (!fields) return fields.error();
  ResizeForm form;
  if (auto status = read_source(*fields, form); !status) return status.error();
  if (const auto callback = fields->value("callback_url"))
    form.callback_url = std::string(*callback);
  if (auto status = check_url_lengths(form); !status) return status.error();
  if (auto status = read_spec_fields(*fields, limits, size_rule, form.spec); !status) {
    return status.error();
  }
  return form;
}

}  // namespace image_resize::http
