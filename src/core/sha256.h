#pragma once
// SHA-256 (OpenSSL) as lowercase hex: S3's payload hashes and checksums, and the fingerprints
// of uploads (idempotent retries, reused results).

#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace image_resize::core {

std::string sha256_hex(std::string_view bytes);

// SHA-256 of bytes that arrive in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void restart();
  void update(std::string_view bytes);
  std::string hex_digest();  // of everything since the last restart

 private:
  ::evp_md_ctx_st* context_;
};

}  // namespace image_resize::core
