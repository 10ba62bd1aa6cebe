#pragma once
// Signed, expiring result links (--url-signing-key FILE): with API keys on, an <img src> or a CDN
// cannot send an Authorization header, so status answers give the result's URL with
// `expires=<Unix seconds>&signature=<hex HMAC-SHA256 of "<path>\n<expires>">`, and the result
// route accepts such a URL instead of a key until it expires.
//
// File format: one key per line (32 to 256 visible ASCII characters); blank lines and lines
// starting with '#' are ignored. The first key signs and every key verifies, so a key is rotated
// by putting the new one first and dropping the old one once its links have expired.
// Thread safety: immutable after load.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::http {

class UrlSigner {
 public:
  UrlSigner() = default;  // no key: links are not signed
  static core::Result<UrlSigner> load(const std::filesystem::path& file);
  static core::Result<UrlSigner> parse(std::string_view text);

  bool enabled() const { return !keys_.empty(); }

  // "expires=<expires>&signature=<hex>" for `path`, signed with the first key.
  std::string query_for(std::string_view path, std::int64_t expires) const;

  enum class Verdict { valid, expired, bad_signature };
  // Whether a link to `path` with these query values is one of ours and still valid at `now`
  // (Unix seconds). Every key is tried, each compared in constant time.
  Verdict check(std::string_view path, std::string_view expires, std::string_view signature,
                std::int64_t now) const;

 private:
  std::vector<std::string> keys_;
};

// The hex HMAC-SHA256 a link carries (exposed for the tests' known vectors).
std::string link_signature(std::string_view key, std::string_view path, std::int64_t expires);

}  // namespace image_resize::http
