#pragma once
// The line format the key files share (--api-keys-file, --url-signing-key): one key per line,
// optionally followed by whitespace and more text; blank lines and lines starting with '#' are
// skipped; CRLF line ends are accepted.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::http {

struct KeyLine {
  std::size_t number = 0;  // 1-based, for error messages
  std::string key;
  std::string rest;  // what follows the key, trimmed (a name)
};

std::vector<KeyLine> key_lines(std::string_view text);
// The whole file, or an error naming `flag` and the file.
core::Result<std::string> read_key_file(const std::string& flag, const std::string& path);
// Whether `key` is `min`..`max` visible ASCII characters.
bool is_plain_key(std::string_view key, std::size_t min, std::size_t max);

}  // namespace image_resize::http
