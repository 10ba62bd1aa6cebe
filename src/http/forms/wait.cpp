#include "http/forms/wait.h"

#include <string>

#include "http/forms/bounded_int.h"

namespace image_resize::http {

core::Result<std::chrono::seconds> parse_wait_seconds(std::string_view value) {
  const auto seconds = parse_bounded_int(value, 0, kMaxWaitSeconds);
  if (!seconds) {
    return core::Error::make(
        core::ErrorCode::invalid_wait,
        "wait must be a whole number of seconds from 0 to " + std::to_string(kMaxWaitSeconds));
  }
  return std::chrono::seconds(*seconds);
}

}  // namespace image_resize::http
