#include "http/api_keys.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace image_resize::http {
namespace {

constexpr std::size_t kMinKeyLength = 16;
constexpr std::size_t kMaxKeyLength = 256;

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
}

// Constant time in the length of `presented`: no early exit on the first differing byte.
bool same_secret(std::string_view presented, std::string_view secret) {
  unsigned difference = presented.size() == secret.size() ? 0U : 1U;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    difference |= static_cast<unsigned char>(presented[i]) ^
                  static_cast<unsigned char>(secret[i % secret.size()]);
  }
  return difference == 0;
}

std::string default_name(std::string_view secret) {
  std::uint32_t hash = 2166136261U;  // FNV-1a: a stable label, not a security measure
  for (const char c : secret) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  char name[16];
  std::snprintf(name, sizeof name, "key-%08x", hash);
  return name;
}

core::Error invalid(std::size_t line, const std::string& why) {
  return core::Error::make(core::ErrorCode::internal,
                           "--api-keys-file line " + std::to_string(line) + ": " + why);
}

}  // namespace

core::Result<ApiKeys> ApiKeys::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    return core::Error::make(core::ErrorCode::internal,
                             "cannot read --api-keys-file " + file.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  auto keys = parse(text.str());
  if (keys.ok() && !keys->enabled()) {
    return core::Error::make(core::ErrorCode::internal,
                             "--api-keys-file " + file.string() + " holds no key");
  }
  return keys;
}

core::Result<ApiKeys> ApiKeys::parse(std::string_view text) {
  ApiKeys keys;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string secret;
    if (!(fields >> secret) || secret.starts_with('#')) continue;
    std::string name;
    std::getline(fields >> std::ws, name);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (secret.size() < kMinKeyLength || secret.size() > kMaxKeyLength ||
        !is_visible_ascii(secret)) {
      return invalid(number, "a key is 16 to 256 visible ASCII characters");
    }
    if (name.empty()) name = default_name(secret);
    for (const Key& known : keys.keys_) {
      if (known.secret == secret) return invalid(number, "the same key twice");
    }
    keys.keys_.push_back({std::move(secret), std::move(name)});
  }
  return keys;
}

core::Result<std::string> ApiKeys::authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  const bool has_scheme =
      authorization.size() > kScheme.size() &&
      std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                 [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  if (!has_scheme) {
    return core::Error::make(core::ErrorCode::unauthorized,
                             "This API needs a key: send the header Authorization: Bearer <key>.");
  }
  const std::string_view presented = authorization.substr(kScheme.size());
  const Key* match = nullptr;
  for (const Key& key : keys_) {
    if (same_secret(presented, key.secret)) match = &key;  // no break: every key is compared
  }
  if (match == nullptr) {
    return core::Error::make(core::ErrorCode::forbidden, "This API key is not valid.");
  }
  return match->name;
}

}  // namespace image_resize::http
