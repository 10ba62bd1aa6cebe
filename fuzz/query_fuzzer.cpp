// Fuzzes the request-target parser (path and query string) and `?wait=N`.
//
// Input: a request target, raw, e.g. "/api/v1/status/<id>?wait=5".
//
// Properties:
//   - parse_query agrees with an independent reading of query.h: it fails (malformed_request)
//     exactly when that does, and otherwise gives the same names and values; the path is the
//     target up to the first '?' or '#'.
//   - parse_wait_seconds, on the `wait` parameter and on the raw input, succeeds exactly when
//     the text is ASCII digits with a value from 0 to kMaxWaitSeconds, and then gives that value;
//     otherwise it fails with invalid_wait.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "http/forms/query.h"
#include "http/forms/wait.h"

namespace image_resize::fuzz {
namespace {

// An independent reading of query.h: '&'-separated `name=value` segments, '#...' dropped,
// %XX and '+' decoded, empty segments and names skipped. nullopt where parse_query must fail
// (a bad escape, a name given twice).
std::optional<int> hex(char c) {
  const std::string_view digits = "0123456789abcdef";
  const std::size_t at = digits.find(static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c));
  if (at == std::string_view::npos) return std::nullopt;
  return static_cast<int>(at);
}

std::optional<std::string> decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (text.size() - i < 3) return std::nullopt;
      const auto high = hex(text[i + 1]);
      const auto low = hex(text[i + 2]);
      if (!high || !low) return std::nullopt;
      out += static_cast<char>(*high * 16 + *low);
      i += 2;
    }
  }
  return out;
}

std::optional<http::QueryMap> expected_query(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  http::QueryMap query;
  if (question == std::string_view::npos) return query;
  std::string_view rest = target.substr(question + 1);
  while (true) {
    const std::size_t amp = rest.find('&');
    const std::string_view segment = rest.substr(0, amp);
    if (!segment.empty()) {
      const std::size_t equals = segment.find('=');
      const auto name = decoded(segment.substr(0, equals));
      const auto value = equals == std::string_view::npos ? std::optional<std::string>("")
                                                          : decoded(segment.substr(equals + 1));
      if (!name || !value) return std::nullopt;
      if (!name->empty() && !query.emplace(*name, *value).second) return std::nullopt;
    }
    if (amp == std::string_view::npos) return query;
    rest.remove_prefix(amp + 1);
  }
}

void check_query(std::string_view target) {
  const auto parsed = http::parse_query(target);
  const auto expected = expected_query(target);
  FUZZ_CHECK(parsed.ok() == expected.has_value());
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().code == core::ErrorCode::malformed_request);
    FUZZ_CHECK(!parsed.error().public_message.empty());
    return;
  }
  FUZZ_CHECK(parsed->path == target.substr(0, target.find_first_of("?#")));
  FUZZ_CHECK(parsed->query == *expected);
  for (const auto& [name, value] : parsed->query) FUZZ_CHECK(parsed->param(name) == &value);
}

// Digits only, any number of leading zeros, at most kMaxWaitSeconds.
std::optional<int> expected_wait(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  text.remove_prefix(std::min(text.find_first_not_of('0'), text.size()));
  if (text.size() > 2) return std::nullopt;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  if (value > http::kMaxWaitSeconds) return std::nullopt;
  return value;
}

void check_wait(std::string_view text) {
  const auto wait = http::parse_wait_seconds(text);
  const std::optional<int> expected = expected_wait(text);
  FUZZ_CHECK(wait.ok() == expected.has_value());
  if (wait.ok()) {
    FUZZ_CHECK(wait->count() == *expected);
  } else {
    FUZZ_CHECK(wait.error().code == core::ErrorCode::invalid_wait);
  }
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace image_resize;
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  fuzz::check_query(target);
  if (const auto parsed = http::parse_query(target); parsed.ok()) {
    if (const std::string* wait = parsed->param("wait")) fuzz::check_wait(*wait);
  }
  fuzz::check_wait(target);
  return 0;
}
