#pragma once
// A whole multipart/form-data body parsed at once into its parts. The body is one contiguous
// buffer (the request's string, http/request_body.h), so each part's data is a view into it:
// nothing is copied.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/multipart/multipart_parser.h"

namespace image_resize::http {

struct FormPart {
  std::string name;          // the form field
  std::string filename;      // empty when the part is not a file
  std::string content_type;  // as sent; empty when absent
  std::string_view data;     // a view into the body passed to parse_multipart

  bool operator==(const FormPart&) const = default;  // compares data by content
};

// The parts in body order. The views in the result live as long as `body`'s buffer.
core::Result<std::vector<FormPart>> parse_multipart(std::string_view body,
                                                    std::string_view boundary,
                                                    MultipartLimits limits = {});

}  // namespace image_resize::http
