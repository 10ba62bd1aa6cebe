#pragma once
// Header values of the form `value; name=token; name="quoted \"string\""`, shared by
// Content-Type (RFC 7231 §3.1.1.1) and Content-Disposition (RFC 6266, RFC 7578 §4.2).

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::http {

// Parameter names are lowercased (they are case-insensitive); std::less<> allows lookups by
// string_view.
using ParameterMap = std::map<std::string, std::string, std::less<>>;

struct HeaderValue {
  std::string value;        // the part before the first ';', trimmed, as given
  ParameterMap parameters;  // values unquoted and unescaped

  // nullptr when absent; `lowercase_name` must be lowercase.
  const std::string* parameter(std::string_view lowercase_name) const;
};

// Errors are malformed_request; their public message says what is wrong without naming the
// header, so callers prefix it ("Content-Type: ...").
core::Result<HeaderValue> parse_header_value(std::string_view text);

}  // namespace image_resize::http
