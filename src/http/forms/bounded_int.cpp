#include "http/forms/bounded_int.h"

#include <cstdint>

namespace image_resize::http {

std::optional<int> parse_bounded_int(std::string_view text, int min, int max) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;  // stops before any overflow: max fits in an int
  }
  if (value < min) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace image_resize::http
