#pragma once
// The fields of `POST /api/v1/images/resize` (docs/API.md) checked and turned into a ResizeSpec.
// Each rule fails with its own ErrorCode and a public message that says what to send instead.

#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "http/forms/spec_fields.h"
#include "http/multipart/form_parts.h"

namespace image_resize::http {

struct ResizeForm {
  std::string_view file;     // the image bytes: a view into the request body; empty with a url
  std::string filename;      // as the client sent it; may be empty
  std::string source_url;    // `url`: the image's address, for the worker to fetch; or empty
  std::string callback_url;  // where the outcome is POSTed; empty: no webhook
  core::ResizeSpec spec;
};

// Rules: `file` present and non-empty (no_file), or instead a `url` (both: conflicting_source),
// `url` and `callback_url` at most 4096 characters (invalid_url; their form and host are checked
// by the outbound client); the fields of the ResizeSpec as read_spec_fields (spec_fields.h), a
// size required unless `size_rule` says otherwise (an upload whose variants give the sizes). A
// known field given twice is malformed_request; unknown fields are ignored.
core::Result<ResizeForm> parse_resize_form(const std::vector<FormPart>& parts,
                                           const core::Limits& limits,
                                           SizeRule size_rule = SizeRule::required);

}  // namespace image_resize::http
