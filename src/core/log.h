#pragma once
// A small structured logger: one line per event, to stderr, as text or JSON.
// Written here rather than taken from spdlog: we need only levels, key=value fields and a JSON
// mode, and the fields must never carry secrets or image bytes, which a wrapper would not check.
// Thread-safe; lines from different threads never interleave.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace image_resize::core::log {

enum class Level { debug, info, warn, error };
enum class Format { text, json };

void configure(Level min_level, Format format);
std::string_view to_string(Level level);  // "debug", "info", ...
std::optional<Level> parse_level(std::string_view text);

using Field = std::pair<std::string_view, std::string>;
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace image_resize::core::log
