#pragma once
// What makes two tasks' results equal, so that an upload may be answered with the result of
// earlier work (docs/API.md "Repeated uploads"): the owner, the input's bytes and every option
// that changes the output.

#include <string>
#include <string_view>

#include "core/resize_spec.h"

namespace image_resize::core {

// The spec's options, one "name=value" line each in a fixed order, with the text forms the task
// stores keep them in (core::to_string, format_rgba), `accepts` included for format=auto. The
// priority is left out: it changes when a task runs, not what it makes.
std::string canonical_spec(const ResizeSpec& spec);

// The hex SHA-256 over the owner (the API key's name, empty without keys), the input's SHA-256
// (sha256_hex of its bytes) and canonical_spec: equal keys, equal results.
std::string content_key(std::string_view owner, std::string_view input_sha256,
                        const ResizeSpec& spec);

}  // namespace image_resize::core
