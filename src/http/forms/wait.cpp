#include "http/forms/wait.h"

#include <algorithm>
#include <string>

#include "http/forms/bounded_int.h"
#include "http/forms/query.h"

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

core::Result<std::chrono::seconds> wait_of_target(std::string_view target, int max_seconds) {
  const auto query = parse_query(target);
  if (!query.ok()) return query.error();
  const std::string* wait = query->param("wait");
  if (wait == nullptr) return std::chrono::seconds(0);
  auto parsed = parse_wait_seconds(*wait);
  if (!parsed.ok()) return parsed.error();
  return std::min(*parsed, std::chrono::seconds(max_seconds));
}

}  // namespace image_resize::http
