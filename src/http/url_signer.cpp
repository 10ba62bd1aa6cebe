#include "http/url_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/hex.h"
#include "http/key_file.h"

namespace image_resize::http {
namespace {

constexpr std::size_t kMinKeyLength = 32;
constexpr std::size_t kMaxKeyLength = 256;

core::Error invalid(const std::string& why) {
  return core::Error::make(core::ErrorCode::internal, "--url-signing-key: " + why);
}

}  // namespace

std::string link_signature(std::string_view key, std::string_view path, std::int64_t expires) {
  std::string message(path);
  message.push_back('\n');
  message.append(std::to_string(expires));
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &size);
  return core::to_hex(digest.data(), size);
}

core::Result<UrlSigner> UrlSigner::load(const std::filesystem::path& file) {
  auto text = read_key_file("--url-signing-key", file.string());
  if (!text.ok()) return text.error();
  auto signer = parse(*text);
  if (signer.ok() && !signer->enabled()) return invalid(file.string() + " holds no key");
  return signer;
}

core::Result<UrlSigner> UrlSigner::parse(std::string_view text) {
  UrlSigner signer;
  for (KeyLine& line : key_lines(text)) {
    if (!is_plain_key(line.key, kMinKeyLength, kMaxKeyLength)) {
      return invalid("line " + std::to_string(line.number) +
                     ": a key is 32 to 256 visible ASCII characters");
    }
    signer.keys_.push_back(std::move(line.key));
  }
  return signer;
}

std::string UrlSigner::query_for(std::string_view path, std::int64_t expires) const {
  return "expires=" + std::to_string(expires) +
         "&signature=" + link_signature(keys_.front(), path, expires);
}

UrlSigner::Verdict UrlSigner::check(std::string_view path, std::string_view expires,
                                    std::string_view signature, std::int64_t now) const {
  std::int64_t expiry = 0;
  const auto parsed = std::from_chars(expires.data(), expires.data() + expires.size(), expiry);
  if (expires.empty() || parsed.ec != std::errc() ||
      parsed.ptr != expires.data() + expires.size()) {
    return Verdict::bad_signature;
  }
  bool matched = false;
  for (const std::string& key : keys_) {
    const std::string expected = link_signature(key, path, expiry);
    matched |= signature.size() == expected.size() &&
               CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
  }
  if (!matched) return Verdict::bad_signature;
  return now < expiry ? Verdict::valid : Verdict::expired;
}

}  // namespace image_resize::http
