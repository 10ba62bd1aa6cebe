#include "storage/s3/s3_endpoint.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace image_resize::storage::s3 {
namespace {

core::Error bad(const std::string& message) {
  return core::Error::make(core::ErrorCode::internal, "Internal error", message);
}

// S3's rules for new buckets: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.
bool valid_bucket(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto alnum = [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '-'; });
}

struct Authority {
  std::string host;  // without brackets
  bool has_port = false;
};

core::Result<Authority> parse_authority(std::string_view authority, const std::string& endpoint) {
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return bad("--s3-endpoint must be http(s)://host[:port], not '" + endpoint + "'");
  }
  Authority parsed;
  std::string_view rest;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return bad("--s3-endpoint has an unclosed '[': '" + endpoint + "'");
    parsed.host = std::string(authority.substr(1, close - 1));
    rest = authority.substr(close + 1);
  } else {
    const auto colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
  }
  if (!rest.empty()) {
    const std::string_view port = rest.substr(1);
    if (rest.front() != ':' || port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) {
      return bad("--s3-endpoint has a bad port: '" + endpoint + "'");
    }
    parsed.has_port = true;
  }
  if (parsed.host.empty()) return bad("--s3-endpoint has no host: '" + endpoint + "'");
  return parsed;
}

bool is_ip_address(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// As the AWS SDKs choose: virtual-host addressing needs a DNS name the bucket can prefix, and a
// dotted bucket would not match a TLS certificate's single-label wildcard.
bool wants_path_style(const S3Config& config, const Authority& authority) {
  switch (config.addressing) {
    case Addressing::path: return true;
    case Addressing::virtual_host: return false;
    case Addressing::automatic: break;
  }
  return authority.has_port || is_ip_address(authority.host) ||
         authority.host.find('.') == std::string::npos ||
         config.bucket.find('.') != std::string::npos;
}

}  // namespace

core::Result<S3Endpoint> S3Endpoint::make(const S3Config& config) {
  if (!valid_bucket(config.bucket)) {
    return bad("'" + config.bucket +
               "' is not a valid S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-')");
  }
  const std::string endpoint =
      config.endpoint.empty() ? "https://s3." + config.region + ".amazonaws.com" : config.endpoint;
  const auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) {
    return bad("--s3-endpoint must be http(s)://host[:port], not '" + endpoint + "'");
  }
  S3Endpoint result;
  result.scheme_ = endpoint.substr(0, scheme_end);
  std::transform(result.scheme_.begin(), result.scheme_.end(), result.scheme_.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (result.scheme_ != "http" && result.scheme_ != "https") {
    return bad("--s3-endpoint must start with http:// or https://, not '" + endpoint + "'");
  }
  std::string_view rest = std::string_view(endpoint).substr(scheme_end + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return bad("--s3-endpoint must have no path or query: '" + endpoint + "'");
  }
  auto authority = parse_authority(rest, endpoint);
  if (!authority.ok()) return authority.error();
  result.bucket_ = config.bucket;
  result.authority_ = std::string(rest);
  result.path_style_ = wants_path_style(config, *authority);
  if (!result.path_style_ && is_ip_address(authority->host)) {
    return bad("--s3-addressing virtual needs a host name endpoint, not an IP address");
  }
  const std::string host =
      result.path_style_ ? result.authority_ : result.bucket_ + "." + result.authority_;
  result.base_url_ = result.scheme_ + "://" + host;
  return result;
}

Target S3Endpoint::target(std::string_view key) const {
  Target target;
  target.host = path_style_ ? authority_ : bucket_ + "." + authority_;
  // The bucket itself is "/BUCKET" path-style: S3 servers refuse "/BUCKET/" for some requests.
  // (push_back and append: g++ 12 at -O3 warns falsely, -Wrestrict, on a literal's copy here.)
  target.path.push_back('/');
  if (path_style_) {
    target.path.append(bucket_);
    if (!key.empty()) target.path.append("/").append(key);
  } else {
    target.path.append(key);
  }
  target.url = base_url_ + uri_encode(target.path, true);
  return target;
}

}  // namespace image_resize::storage::s3
