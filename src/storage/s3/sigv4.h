#pragma once
// AWS Signature Version 4 for S3, as the "Authenticating Requests (AWS Signature Version 4)"
// pages of the S3 API reference define it: the Authorization header of a request, and the query
// of a presigned URL. Written here (on OpenSSL's SHA-256 and HMAC) rather than taken from
// libcurl's CURLOPT_AWS_SIGV4: Debian 12's libcurl 7.88 neither sorts nor encodes the query it
// signs, and has no presigned URLs, which --result-redirect needs.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sha256.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace image_resize::storage::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials (STS) only
};

// The request as signed. `path` is the URI path, not yet encoded; `query` and `headers` are
// raw names and values in any order (header names in any case).
struct SignedRequest {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // must hold host and x-amz-date
  std::string payload_hash;  // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

struct SigningScope {
  std::string region;
  std::string service = "s3";
};

// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when kept).
std::string uri_encode(std::string_view text, bool keep_slashes);
// Lowercase hex of SHA-256.
using core::sha256_hex;

// SHA-256 of bytes that arrive in pieces (a download).
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
// "20130524T000000Z"
std::string amz_date(std::chrono::system_clock::time_point time);

// The value of the Authorization header for `request` signed at `request`'s x-amz-date.
std::string authorization(const SignedRequest& request, const Credentials& credentials,
                          const SigningScope& scope);

// The query string of a presigned GET of `path` on `host` (already encoded, sorted, signature
// last), valid `expires` from `time`. `extra_query` (e.g. response-cache-control) is signed too.
std::string presigned_query(std::string_view path, std::string_view host,
                            std::vector<std::pair<std::string, std::string>> extra_query,
                            const Credentials& credentials, const SigningScope& scope,
                            std::chrono::system_clock::time_point time,
                            std::chrono::seconds expires);

}  // namespace image_resize::storage::s3
