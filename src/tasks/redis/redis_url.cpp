#include "tasks/redis/redis_url.h"

#include <charconv>
#include <optional>

namespace image_resize::tasks {
namespace {

core::Error invalid(std::string_view why) {
  return core::Error::make(core::ErrorCode::internal, "Invalid configuration",
                           "redis url: " + std::string(why));
}

// A decimal number in [0, max], digits only.
std::optional<long> parse_number(std::string_view text, long max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // '%' needs two hex digits
    unsigned value = 0;
    const char* first = text.data() + i + 1;
    const auto [end, error] = std::from_chars(first, first + 2, value, 16);
    if (error != std::errc() || end != first + 2) return std::nullopt;
    decoded.push_back(static_cast<char>(value));
    i += 2;
  }
  return decoded;
}

}  // namespace

core::Result<RedisUrl> RedisUrl::parse(std::string_view text) {
  constexpr std::string_view kScheme = "redis://";
  if (text.starts_with("rediss://")) return invalid("TLS (rediss://) is not supported");
  if (!text.starts_with(kScheme)) return invalid("must start with redis://");
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return invalid("query strings and fragments are not supported");
  }

  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  RedisUrl url;
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = user_info.find(':');
    auto username = percent_decode(user_info.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? std::string_view()
                                                                   : user_info.substr(colon + 1));
    if (!username || !password) return invalid("bad percent-encoding in the user info");
    if (colon == std::string_view::npos) {
      // redis://secret@host: a lone user info is the password, as redis-cli reads it.
      url.password = std::move(*username);
    } else {
      url.username = std::move(*username);
      url.password = std::move(*password);
    }
  }

  std::string_view port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated [IPv6] host");
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return invalid("junk after the [IPv6] host");
    if (!after.empty()) port_text = after.substr(1);
    if (after == ":") return invalid("empty port");
  } else {
    const std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return invalid("empty port");
    }
  }
  if (url.host.empty()) return invalid("missing host");
  if (url.host.find_first_of(" \t[]@") != std::string::npos) return invalid("bad host");
  if (!port_text.empty()) {
    const auto port = parse_number(port_text, 65535);
    if (!port || *port == 0) return invalid("port must be a number from 1 to 65535");
    url.port = static_cast<std::uint16_t>(*port);
  }
  if (!path.empty()) {
    const auto database = parse_number(path, 1'000'000);
    if (!database) return invalid("the path must be a database number, e.g. /0");
    url.database = static_cast<int>(*database);
  }
  return url;
}

std::string RedisUrl::redacted() const {
  std::string text = "redis://";
  if (!username.empty() || !password.empty()) {
    text += username;
    if (!password.empty()) text += ":***";
    text += "@";
  }
  text += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  // Appended piecewise: g++ 12 at -O3 reports a false -Wrestrict on `":" + std::to_string()`.
  text += ':';
  text += std::to_string(port);
  text += '/';
  text += std::to_string(database);
  return text;
}

}  // namespace image_resize::tasks
