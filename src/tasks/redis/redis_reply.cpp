#include "tasks/redis/redis_reply.h"

#include <charconv>

namespace image_resize::tasks {

std::optional<std::int64_t> RedisReply::as_integer() const {
  if (kind == Kind::integer) return integer;
  if (kind != Kind::string || text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace image_resize::tasks
