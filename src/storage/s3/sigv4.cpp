#include "storage/s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "core/hex.h"

namespace image_resize::storage::s3 {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";

std::string hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &size);
  return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Header values are signed trimmed, with inner runs of spaces as one.
std::string trimmed(std::string_view value) {
  std::string text;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !text.empty();
      continue;
    }
    if (space) text.push_back(' ');
    space = false;
    text.push_back(c);
  }
  return text;
}

std::string canonical_query(Pairs query) {
  for (auto& [name, value] : query) {
    name = uri_encode(name, false);
    value = uri_encode(value, false);
  }
  std::sort(query.begin(), query.end());
  std::string text;
  for (const auto& [name, value] : query) {
    if (!text.empty()) text.push_back('&');
    text.append(name).append("=").append(value);
  }
  return text;
}

struct CanonicalHeaders {
  std::string lines;         // "name:value\n" each, sorted by name
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders canonical_headers(const Pairs& headers) {
  Pairs sorted;
  for (const auto& [name, value] : headers) sorted.emplace_back(lowercase(name), trimmed(value));
  std::sort(sorted.begin(), sorted.end());
  CanonicalHeaders canonical;
  for (const auto& [name, value] : sorted) {
    canonical.lines.append(name).append(":").append(value).append("\n");
    if (!canonical.signed_names.empty()) canonical.signed_names.push_back(';');
    canonical.signed_names.append(name);
  }
  return canonical;
}

std::string header_value(const Pairs& headers, std::string_view wanted) {
  for (const auto& [name, value] : headers) {
    if (lowercase(name) == wanted) return value;
  }
  return {};
}

std::string credential_scope(std::string_view date, const SigningScope& scope) {
  std::string text(date.substr(0, 8));
  text.append("/").append(scope.region).append("/").append(scope.service).append("/aws4_request");
  return text;
}

// The string to sign's signature, from the canonical request's parts.
std::string signature(const std::string& canonical_request, std::string_view date,
                      const Credentials& credentials, const SigningScope& scope) {
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(date) + "\n" +
                                     credential_scope(date, scope) + "\n" +
                                     sha256_hex(canonical_request);
  std::string key = hmac("AWS4" + credentials.secret_access_key, date.substr(0, 8));
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, "aws4_request");
  const std::string digest = hmac(key, string_to_sign);
  return core::to_hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

std::string canonical_request(std::string_view method, std::string_view path,
                              const std::string& query, const CanonicalHeaders& headers,
                              std::string_view payload_hash) {
  std::string text(method);
  text.append("\n").append(uri_encode(path, true)).append("\n").append(query).append("\n");
  text.append(headers.lines).append("\n").append(headers.signed_names).append("\n");
  text.append(payload_hash);
  return text;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slashes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slashes && c == '/')) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kDigits[c >> 4]);
      encoded.push_back(kDigits[c & 0x0f]);
    }
  }
  return encoded;
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
  return core::to_hex(digest.data(), size);
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string authorization(const SignedRequest& request, const Credentials& credentials,
                          const SigningScope& scope) {
  const std::string date = header_value(request.headers, "x-amz-date");
  const CanonicalHeaders headers = canonical_headers(request.headers);
  const std::string canonical = canonical_request(
      request.method, request.path, canonical_query(request.query), headers, request.payload_hash);
  return std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
         credential_scope(date, scope) + ",SignedHeaders=" + headers.signed_names +
         ",Signature=" + signature(canonical, date, credentials, scope);
}

std::string presigned_query(std::string_view path, std::string_view host, Pairs extra_query,
                            const Credentials& credentials, const SigningScope& scope,
                            std::chrono::system_clock::time_point time,
                            std::chrono::seconds expires) {
  const std::string date = amz_date(time);
  Pairs query = std::move(extra_query);
  query.emplace_back("X-Amz-Algorithm", kAlgorithm);
  query.emplace_back("X-Amz-Credential",
                     credentials.access_key_id + "/" + credential_scope(date, scope));
  query.emplace_back("X-Amz-Date", date);
  query.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  if (!credentials.session_token.empty()) {
    query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  query.emplace_back("X-Amz-SignedHeaders", "host");
  const std::string signed_query = canonical_query(query);
  const CanonicalHeaders headers = canonical_headers({{"host", std::string(host)}});
  const std::string canonical =
      canonical_request("GET", path, signed_query, headers, "UNSIGNED-PAYLOAD");
  return signed_query + "&X-Amz-Signature=" + signature(canonical, date, credentials, scope);
}

}  // namespace image_resize::storage::s3
