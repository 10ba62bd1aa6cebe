#include "core/sha256.h"

#include <openssl/evp.h>

#include <array>

#include "core/hex.h"

namespace image_resize::core {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return to_hex(digest.data(), size);
}

Sha256::Sha256() : context_(EVP_MD_CTX_new()) { restart(); }
Sha256::~Sha256() { EVP_MD_CTX_free(context_); }
void Sha256::restart() { EVP_DigestInit_ex(context_, EVP_sha256(), nullptr); }
void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(context_, bytes.data(), bytes.size());
}
std::string Sha256::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_, digest.data(), &size);
  return to_hex(digest.data(), size);
}

}  // namespace image_resize::core
