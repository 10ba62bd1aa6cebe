#pragma once
// The headers of one multipart/form-data part (RFC 7578 §4.2, §4.4): which form field it is,
// its file name if it is a file, and its declared Content-Type.

#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::http {

struct PartHeaders {
  std::string name;          // the form field, from Content-Disposition; never empty
  std::string filename;      // empty when the part has none; filename*=UTF-8''... wins
  std::string content_type;  // as sent, trimmed; empty when absent (RFC 7578: text/plain)

  bool operator==(const PartHeaders&) const = default;
};

// `block` holds the header lines of one part, each ending in CRLF, without the blank line that
// ends them. Errors are malformed_request. Headers other than Content-Disposition and
// Content-Type are ignored.
core::Result<PartHeaders> parse_part_headers(std::string_view block);

}  // namespace image_resize::http
