#include "http/key_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace image_resize::http {

std::vector<KeyLine> key_lines(std::string_view text) {
  std::vector<KeyLine> keys;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    KeyLine key{.number = number, .key = {}, .rest = {}};
    if (!(fields >> key.key) || key.key.starts_with('#')) continue;
    std::getline(fields >> std::ws, key.rest);
    while (!key.rest.empty() && (key.rest.back() == ' ' || key.rest.back() == '\t')) {
      key.rest.pop_back();
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

core::Result<std::string> read_key_file(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Error::make(core::ErrorCode::internal, "cannot read " + flag + " " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_plain_key(std::string_view key, std::size_t min, std::size_t max) {
  return key.size() >= min && key.size() <= max &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

}  // namespace image_resize::http
