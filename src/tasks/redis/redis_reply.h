#pragma once
// A Redis reply as a plain value (copied out of hiredis' reply tree, which is freed at once), so
// that nothing outside redis_connection.cpp sees hiredis types or manages their memory.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace image_resize::tasks {

struct RedisReply {
  enum class Kind { nil, status, error, integer, string, array };

  Kind kind = Kind::nil;
  std::string text;  // status, error and string replies (binary-safe)
  std::int64_t integer = 0;
  std::vector<RedisReply> elements;  // array replies

  bool is_nil() const { return kind == Kind::nil; }
  bool is_array() const { return kind == Kind::array; }
  // The text of a string or status reply; nullopt for any other kind.
  std::optional<std::string> as_text() const {
    if (kind == Kind::string || kind == Kind::status) return text;
    return std::nullopt;
  }
  // An integer reply, or a string reply holding a decimal integer (Lua numbers come back as
  // integers, HGET values as strings); nullopt otherwise.
  std::optional<std::int64_t> as_integer() const;
};

}  // namespace image_resize::tasks
