#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "core/clock.h"

namespace image_resize::core::log {
namespace {

std::atomic<Level> g_min_level{Level::info};
std::atomic<Format> g_format{Format::text};
std::mutex g_write_mutex;

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// Text values are quoted only when they would otherwise be ambiguous.
void append_text_value(std::string& out, std::string_view value) {
  if (value.find_first_of(" \"=\n") == std::string_view::npos && !value.empty()) {
    out += value;
  } else {
    append_json_string(out, value);
  }
}

}  // namespace

void configure(Level min_level, Format format) {
  g_min_level = min_level;
  g_format = format;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (to_string(level) == text) return level;
  }
  return std::nullopt;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(128);
  const std::string time = format_iso8601(now());
  if (g_format.load(std::memory_order_relaxed) == Format::json) {
    line +=
        "{\"time\":\"" + time + "\",\"level\":\"" + std::string(to_string(level)) + "\",\"msg\":";
    append_json_string(line, message);
    for (const auto& [key, value] : fields) {
      line.push_back(',');
      append_json_string(line, key);
      line.push_back(':');
      append_json_string(line, value);
    }
    line += "}\n";
  } else {
    line += time + " " + std::string(to_string(level)) + " " + std::string(message);
    for (const auto& [key, value] : fields) {
      line.push_back(' ');
      line += key;
      line.push_back('=');
      append_text_value(line, value);
    }
    line.push_back('\n');
  }
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace image_resize::core::log
