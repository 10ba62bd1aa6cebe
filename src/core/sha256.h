#pragma once
// SHA-256 digests (OpenSSL EVP), for checksums and content keys.

#include <string>
#include <string_view>

namespace image_resize::core {

// The SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace image_resize::core
