#pragma once
// Wall-clock time as stored on tasks: milliseconds since the Unix epoch, printed as ISO 8601 UTC.

#include <chrono>
#include <cstdint>
#include <string>

namespace image_resize::core {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

inline TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}
inline std::int64_t to_unix_ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_unix_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// "2026-11-27T23:50:00.123Z"
std::string format_iso8601(TimePoint t);

}  // namespace image_resize::core
