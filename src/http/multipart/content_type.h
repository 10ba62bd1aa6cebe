#pragma once
// Content-Type parsing, so the upload route can tell `multipart/form-data; boundary=...` from
// anything else and get the boundary the multipart parser needs.

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/multipart/header_params.h"

namespace image_resize::http {

struct ContentType {
  std::string media_type;   // "type/subtype", lowercased, e.g. "multipart/form-data"
  ParameterMap parameters;  // names lowercased; values unquoted, case kept (boundaries are not)

  // nullptr when absent; `lowercase_name` must be lowercase.
  const std::string* parameter(std::string_view lowercase_name) const;
};

// malformed_request when the value is not `type/subtype *(; name=value)`.
core::Result<ContentType> parse_content_type(std::string_view header_value);

// The boundary of a `multipart/form-data` Content-Type. unsupported_media_type when the body is
// anything else (pass "" when the header is missing); malformed_request when the boundary is
// missing or not one RFC 2046 allows (1 to 70 characters, not ending in a space).
core::Result<std::string> form_data_boundary(std::string_view header_value);

}  // namespace image_resize::http
