#pragma once
// `GET /api/v1/status/<uuid>?wait=N`: how long the client lets us hold its request open.

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace image_resize::http {

// Long polls are capped so a held request cannot tie up a connection for long.
inline constexpr int kMaxWaitSeconds = 30;

// An integer from 0 to kMaxWaitSeconds; anything else (empty, signs, spaces, fractions, larger)
// is invalid_wait.
core::Result<std::chrono::seconds> parse_wait_seconds(std::string_view value);
// The `wait` parameter of a request target, at most `max_seconds`; 0 when absent. Errors: a bad
// query (parse_query) or a bad value.
core::Result<std::chrono::seconds> wait_of_target(std::string_view target, int max_seconds);

}  // namespace image_resize::http
