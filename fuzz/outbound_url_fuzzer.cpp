// Fuzzes the outbound URL parser (libcurl's URL API) and the address guard behind it.
//
// Input: a URL, raw, e.g. "http://0x7f.1:8080/a?b#c".
//
// Properties:
//   - parse_outbound_url fails only with invalid_url and a public message naming the field, or
//     succeeds with scheme http or https, a host, a port from 1 to 65535 and a URL without a
//     fragment or user info.
//   - It is idempotent: the normalised URL parses again to the same URL, scheme, host and port.
//   - An address host is one for inet_pton (IPv4 dotted, or IPv6 without brackets); a name host
//     is not, and does not end in a number (those would be odd IPv4 spellings).
//   - The default AddressGuard never allows a host in 127/8, 10/8, 169.254/16, ::1 or
//     fc00::/7, nor the IPv4-mapped form of one (an independent reading of those ranges).
#include <arpa/inet.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "outbound/address_guard.h"
#include "outbound/outbound_url.h"

namespace image_resize::fuzz {
namespace {

bool internal_ipv4(const unsigned char* v4) {
  return v4[0] == 127 || v4[0] == 10 || (v4[0] == 169 && v4[1] == 254);
}

// Independent of core::IpRanges: the few ranges the guard must never let through.
bool must_be_denied(const std::string& host) {
  unsigned char bytes[16] = {};
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return internal_ipv4(bytes);
  FUZZ_CHECK(inet_pton(AF_INET6, host.c_str(), bytes) == 1);
  bool leading_zeros = true;
  for (int i = 0; i < 10; ++i) leading_zeros = leading_zeros && bytes[i] == 0;
  const bool mapped = leading_zeros && bytes[10] == 0xff && bytes[11] == 0xff;
  if (mapped) return internal_ipv4(bytes + 12);
  const bool loopback = leading_zeros && bytes[10] == 0 && bytes[11] == 0 && bytes[12] == 0 &&
                        bytes[13] == 0 && bytes[14] == 0 && bytes[15] == 1;
  return loopback || (bytes[0] & 0xfe) == 0xfc;
}

bool ends_in_a_number(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  const std::string_view last = host.substr(host.rfind('.') + 1);
  return !last.empty() && last.find_first_not_of("0123456789") == std::string_view::npos;
}

void check_success(const outbound::OutboundUrl& url) {
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https");
  FUZZ_CHECK(url.url.starts_with(url.scheme + "://"));
  FUZZ_CHECK(!url.host.empty());
  FUZZ_CHECK(url.port >= 1 && url.port <= 65535);
  FUZZ_CHECK(url.url.find('#') == std::string::npos);
  FUZZ_CHECK(url.url.find('@') == std::string::npos || url.url.find('@') > url.url.find('/', 8));

  const auto again = outbound::parse_outbound_url(url.url);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->url == url.url);
  FUZZ_CHECK(again->scheme == url.scheme);
  FUZZ_CHECK(again->host == url.host);
  FUZZ_CHECK(again->port == url.port);
  FUZZ_CHECK(again->host_is_address == url.host_is_address);

  unsigned char bytes[16];
  const bool v4 = inet_pton(AF_INET, url.host.c_str(), bytes) == 1;
  const bool v6 = inet_pton(AF_INET6, url.host.c_str(), bytes) == 1;
  FUZZ_CHECK(url.host_is_address == (v4 || v6));
  if (!url.host_is_address) {
    FUZZ_CHECK(!ends_in_a_number(url.host));
    FUZZ_CHECK(url.host.find_first_of("[]@/") == std::string::npos);
    return;
  }
  const outbound::GuardDecision decision = outbound::AddressGuard{}.decide(url.host);
  FUZZ_CHECK(!decision.reason.empty());
  if (must_be_denied(url.host)) FUZZ_CHECK(!decision.allowed);
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace image_resize;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto url = outbound::parse_outbound_url(text, "url");
  if (!url.ok()) {
    FUZZ_CHECK(url.error().code == core::ErrorCode::invalid_url);
    FUZZ_CHECK(url.error().public_message.starts_with("url: "));
    return 0;
  }
  fuzz::check_success(*url);
  return 0;
}
