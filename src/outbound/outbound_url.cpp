#include "outbound/outbound_url.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

#include "core/ip_ranges.h"

namespace image_resize::outbound {
namespace {

// Longer URLs are refused: no image or webhook needs one, and logs should not carry them.
constexpr std::size_t kMaxUrlLength = 8192;

struct UrlFree {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;

// A part of the URL, or nullopt when it has none.
std::optional<std::string> part(CURLU* url, CURLUPart which, unsigned int flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, flags) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string copy(text);
  curl_free(text);
  return copy;
}

core::Error invalid(std::string_view field, std::string_view problem, std::string detail = {}) {
  return core::Error::make(core::ErrorCode::invalid_url,
                           std::string(field) + ": " + std::string(problem), std::move(detail));
}

constexpr std::string_view kNameCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

bool all_of(std::string_view text, std::string_view allowed) {
  return text.find_first_not_of(allowed) == std::string_view::npos;
}

// The URL standard's "ends in a number": a host whose last label is decimal or 0x-hex must be an
// IPv4 address. curl turns the valid odd spellings (127.1, 0x7f.1, 2130706433) into dotted
// quads and leaves the rest as names ("127.0.0.1.", "1.2.3.4.5", "256.0.0.1"), which a resolver
// might still read as numbers; those are refused.
bool ends_in_a_number(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  const auto dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  if (all_of(last, "0123456789")) return true;
  return (last.starts_with("0x") || last.starts_with("0X")) &&
         all_of(last.substr(2), "0123456789abcdefABCDEF");
}

// Control characters and spaces: C strings would cut the URL at a NUL (curl would parse less than
// was checked) and logs would carry the rest.
bool has_control_or_space(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

core::Result<std::string> checked_host(CURLU* url, std::string_view field) {
  auto host = part(url, CURLUPART_HOST);
  if (!host || host->empty()) return invalid(field, "the URL has no host; send http(s)://host/...");
  if (host->front() != '[' && !all_of(*host, kNameCharacters)) {
    // curl decodes %XX in a host and passes other bytes (DEL, UTF-8) through.
    return invalid(field,
                   "a host name may hold only letters, digits, '-', '_' and '.'; send an "
                   "international name in its xn-- form");
  }
  if (part(url, CURLUPART_ZONEID)) {
    return invalid(field, "an IPv6 zone id (%25...) is not accepted; send a URL of a public host");
  }
  if (host->front() == '[') return host->substr(1, host->size() - 2);
  if (!core::parse_ip_address(*host) && ends_in_a_number(*host)) {
    return invalid(field, "the host '" + *host + "' is not a valid IPv4 address or name");
  }
  return std::move(*host);
}

}  // namespace

core::Result<OutboundUrl> parse_outbound_url(std::string_view text, std::string_view field) {
  if (text.size() > kMaxUrlLength) {
    return invalid(field,
                   "the URL is longer than " + std::to_string(kMaxUrlLength) + " characters");
  }
  if (has_control_or_space(text)) {
    return invalid(field, "the URL holds spaces or control characters; send it percent-encoded");
  }
  const UrlHandle url(curl_url());
  if (!url)
    return core::Error::make(core::ErrorCode::internal, "Internal error", "curl_url failed");
  const std::string copy(text);
  if (const CURLUcode code = curl_url_set(url.get(), CURLUPART_URL, copy.c_str(), 0); code) {
    return invalid(field, "not a valid URL; send an absolute http:// or https:// URL",
                   std::string("curl_url_set: ") + curl_url_strerror(code));
  }
  OutboundUrl parsed;
  parsed.scheme = part(url.get(), CURLUPART_SCHEME).value_or("");
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return invalid(field,
                   "only http and https URLs can be fetched; send an http:// or https:// URL");
  }
  if (part(url.get(), CURLUPART_USER) || part(url.get(), CURLUPART_PASSWORD)) {
    return invalid(field,
                   "a user name or password in the URL is not accepted; send it without "
                   "'user@'");
  }
  auto host = checked_host(url.get(), field);
  if (!host.ok()) return host.error();
  parsed.host = std::move(host).value();
  parsed.host_is_address = core::parse_ip_address(parsed.host).has_value();
  const std::string port = part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), parsed.port);
  if (error != std::errc() || end != port.data() + port.size() || parsed.port <= 0) {
    return invalid(field, "the URL's port is not valid; send a port from 1 to 65535");
  }
  curl_url_set(url.get(), CURLUPART_FRAGMENT, nullptr, 0);  // never sent; not part of the source
  parsed.url = part(url.get(), CURLUPART_URL).value_or("");
  return parsed;
}

}  // namespace image_resize::outbound
