#pragma once
// Splits a request target ("/api/v1/status/<id>?wait=5") into its path and decoded query
// parameters, for the router.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::http {

using QueryMap = std::map<std::string, std::string, std::less<>>;

struct RequestTarget {
  // Before '?', not percent-decoded: routes match raw segments, and decoding "%2F" would
  // change them.
  std::string path;
  // Names and values percent-decoded, '+' as space. A name without '=' has an empty value.
  QueryMap query;

  // nullptr when absent.
  const std::string* param(std::string_view name) const;
};

// malformed_request for a bad percent escape or a parameter given twice. A fragment ('#...')
// is dropped; empty segments ("a=1&&b=2") and empty names ("=1") are skipped.
core::Result<RequestTarget> parse_query(std::string_view target);

}  // namespace image_resize::http
