#include "http/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "http/key_file.h"

namespace image_resize::http {
namespace {

constexpr std::size_t kMinKeyLength = 16;
constexpr std::size_t kMaxKeyLength = 256;

std::string sha256_of(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

// The 32 bytes of `sha256:<64 hex digits>`, or nullopt when `text` is not that.
std::optional<std::string> hashed_key(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + 64) return std::nullopt;
  std::string bytes;
  for (std::size_t i = kPrefix.size(); i < text.size(); i += 2) {
    unsigned value = 0;
    const auto parsed = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + i + 2) return std::nullopt;
    bytes.push_back(static_cast<char>(value));
  }
  return bytes;
}

std::string default_name(std::string_view sha256) {
  std::uint32_t hash = 2166136261U;  // FNV-1a: a stable label, not a security measure
  for (const char c : sha256) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  char name[16];
  std::snprintf(name, sizeof name, "key-%08x", hash);
  return name;
}

// The name and role of a key line's text after the key (see api_keys.h).
KeyIdentity identity_of(std::string_view rest, std::string_view sha256) {
  constexpr std::string_view kAdminRole = "admin";
  const auto last_word = rest.find_last_of(" \t");
  if (last_word != std::string_view::npos && rest.substr(last_word + 1) == kAdminRole) {
    const auto name_end = rest.find_last_not_of(" \t", last_word);
    return {std::string(rest.substr(0, name_end + 1)), true};
  }
  return {rest.empty() ? default_name(sha256) : std::string(rest), false};
}

core::Error invalid(std::size_t line, const std::string& why) {
  return core::Error::make(core::ErrorCode::internal,
                           "--api-keys-file line " + std::to_string(line) + ": " + why);
}

}  // namespace

core::Result<ApiKeys> ApiKeys::load(const std::filesystem::path& file) {
  auto text = read_key_file("--api-keys-file", file.string());
  if (!text.ok()) return text.error();
  auto keys = parse(*text);
  if (keys.ok() && !keys->enabled()) {
    return core::Error::make(core::ErrorCode::internal,
                             "--api-keys-file " + file.string() + " holds no key");
  }
  return keys;
}

core::Result<ApiKeys> ApiKeys::parse(std::string_view text) {
  ApiKeys keys;
  for (KeyLine& line : key_lines(text)) {
    std::optional<std::string> digest = hashed_key(line.key);
    if (!digest && line.key.starts_with("sha256:")) {
      return invalid(line.number, "sha256: takes the 64 hex digits of the key's SHA-256");
    }
    if (!digest && !is_plain_key(line.key, kMinKeyLength, kMaxKeyLength)) {
      return invalid(line.number, "a key is 16 to 256 visible ASCII characters");
    }
    if (!digest) digest = sha256_of(line.key);
    KeyIdentity identity = identity_of(line.rest, *digest);
    for (const Key& known : keys.keys_) {
      if (known.sha256 == *digest) return invalid(line.number, "the same key twice");
    }
    keys.keys_.push_back({std::move(*digest), std::move(identity)});
  }
  return keys;
}

core::Result<KeyIdentity> ApiKeys::authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  const bool has_scheme =
      authorization.size() > kScheme.size() &&
      std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                 [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  if (!has_scheme) {
    return core::Error::make(core::ErrorCode::unauthorized,
                             "This API needs a key: send the header Authorization: Bearer <key>.");
  }
  // Hashes compared in constant time: timing tells nothing about our keys or how close a guess is.
  const std::string presented = sha256_of(authorization.substr(kScheme.size()));
  const Key* match = nullptr;
  for (const Key& key : keys_) {
    // No break: every key is compared.
    if (CRYPTO_memcmp(presented.data(), key.sha256.data(), presented.size()) == 0) match = &key;
  }
  if (match == nullptr) {
    return core::Error::make(core::ErrorCode::forbidden, "This API key is not valid.");
  }
  return match->identity;
}

}  // namespace image_resize::http
