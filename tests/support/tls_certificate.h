#pragma once
// Self-signed TLS certificates made at test time with OpenSSL's C API (no `openssl` tool, no
// committed keys): an EC P-256 key and a certificate for localhost and 127.0.0.1, valid for a
// day, written as PEM. A client that trusts the certificate file as its CA can verify the server.

#include <filesystem>
#include <string>

namespace image_resize::testing {

struct TlsCertificate {
  std::filesystem::path cert;  // PEM certificate, also the CA for the clients
  std::filesystem::path key;   // PEM private key, unencrypted
};

// Writes <dir>/<name>.crt and <dir>/<name>.key; fails the current test when OpenSSL does.
TlsCertificate make_self_signed_certificate(const std::filesystem::path& dir,
                                            const std::string& name = "server");

}  // namespace image_resize::testing
