#include "core/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <mutex>
#include <shared_mutex>

#include "core/clock.h"

namespace image_resize::core::log {
namespace {

std::atomic<Level> g_min_level{Level::info};
std::atomic<Format> g_format{Format::text};
// Shared by lines of up to PIPE_BUF bytes, exclusive for longer ones (see write_line).
std::shared_mutex g_write_mutex;
// A thread keeps its line buffer up to this size; a longer line's buffer is given back.
constexpr std::size_t kLineBufferKeptBytes = 16 * 1024;

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

// One write(2) per line, without a lock for the usual short line: a write to a file is atomic
// against other writes to the same open file, and one of at most PIPE_BUF bytes to a pipe is
// too. Holding a mutex across the syscall made the I/O threads queue behind each other (perf:
// futex waits in a sixth of a status request). A longer line may be split by a pipe, so it
// excludes the others while it is written.
void write_line(std::string_view line) {
  std::shared_lock<std::shared_mutex> shared(g_write_mutex, std::defer_lock);
  std::unique_lock<std::shared_mutex> exclusive(g_write_mutex, std::defer_lock);
  if (line.size() <= PIPE_BUF) {
    shared.lock();
  } else {
    exclusive.lock();
  }
  while (!line.empty()) {
    const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // stderr closed or full: nothing better to do with a log line
    line.remove_prefix(static_cast<std::size_t>(written));
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
  // One buffer per thread, reused: the request log line is written for every request.
  thread_local std::string line;
  line.clear();
  const std::string time = format_iso8601(now());
  if (g_format.load(std::memory_order_relaxed) == Format::json) {
    line.append("{\"time\":\"").append(time).append("\",\"level\":\"");
    line.append(to_string(level)).append("\",\"msg\":");
    append_json_string(line, message);
    for (const auto& [key, value] : fields) {
      line.push_back(',');
      append_json_string(line, key);
      line.push_back(':');
      append_json_string(line, value);
    }
    line.append("}\n");
  } else {
    line.append(time).append(" ").append(to_string(level)).append(" ").append(message);
    for (const auto& [key, value] : fields) {
      line.push_back(' ');
      line.append(key).push_back('=');
      append_text_value(line, value);
    }
    line.push_back('\n');
  }
  write_line(line);
  if (line.capacity() > kLineBufferKeptBytes) std::string().swap(line);
}

}  // namespace image_resize::core::log
