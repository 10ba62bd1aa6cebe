#include "core/result_caching.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace image_resize::core {

std::string result_entity_tag(std::string_view bytes) {
  const auto hash = static_cast<unsigned long long>(std::hash<std::string_view>{}(bytes));
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", hash);
  return text;
}

std::string result_cache_control(TimePoint expires_at, TimePoint now, bool shared) {
  const auto remaining = std::chrono::duration_cast<std::chrono::seconds>(expires_at - now);
  std::string text = shared ? "public" : "private";
  text.append(", max-age=").append(std::to_string(std::max<long long>(0, remaining.count())));
  text.append(", immutable");
  return text;
}

}  // namespace image_resize::core
