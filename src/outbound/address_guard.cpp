#include "outbound/address_guard.h"

#include <array>
#include <optional>
#include <utility>

namespace image_resize::outbound {
namespace {

struct NamedRange {
  core::IpRange range;
  const char* name;
};

core::IpRange range(std::string_view cidr) {
  return core::IpRanges::parse(cidr).value().ranges()[0];
}

// The ranges denied unless --outbound-allow opens them (IANA special-purpose registries).
const std::vector<NamedRange>& default_denied() {
  static const std::vector<NamedRange> ranges = {
      {range("0.0.0.0/8"), "this network"},
      {range("10.0.0.0/8"), "private"},
      {range("100.64.0.0/10"), "shared address space (CGNAT)"},
      {range("127.0.0.0/8"), "loopback"},
      {range("169.254.0.0/16"), "link-local (cloud metadata)"},
      {range("172.16.0.0/12"), "private"},
      {range("192.0.0.0/24"), "IETF protocol assignments"},
      {range("192.0.2.0/24"), "documentation"},
      {range("192.168.0.0/16"), "private"},
      {range("198.18.0.0/15"), "benchmarking"},
      {range("198.51.100.0/24"), "documentation"},
      {range("203.0.113.0/24"), "documentation"},
      {range("224.0.0.0/4"), "multicast"},
      {range("240.0.0.0/4"), "reserved or broadcast"},
      {range("::/128"), "unspecified"},
      {range("::1/128"), "loopback"},
      {range("fc00::/7"), "unique-local"},
      {range("fe80::/10"), "link-local"},
      {range("fec0::/10"), "site-local"},
      {range("ff00::/8"), "multicast"},
      {range("2001:db8::/32"), "documentation"},
      {range("100::/64"), "discard-only"},
  };
  return ranges;
}

core::IpBytes ipv4(const unsigned char* four) {
  core::IpBytes bytes{};
  bytes[10] = bytes[11] = 0xff;
  std::copy(four, four + 4, bytes.begin() + 12);
  return bytes;
}

// The IPv4 address an IPv6 address carries and is routed to: IPv4-compatible (::/96), NAT64
// (64:ff9b::/96) or 6to4 (2002::/16, in bytes 2..5). IPv4-mapped addresses are IPv4 already.
std::optional<core::IpBytes> embedded_ipv4(const core::IpBytes& bytes) {
  static const std::array<core::IpRange, 3> carriers = {range("::/96"), range("64:ff9b::/96"),
                                                        range("2002::/16")};
  if (core::is_ipv4_mapped(bytes)) return std::nullopt;
  if (carriers[0].contains(bytes) || carriers[1].contains(bytes)) return ipv4(bytes.data() + 12);
  if (carriers[2].contains(bytes)) return ipv4(bytes.data() + 2);
  return std::nullopt;
}

const char* default_denial(const core::IpBytes& bytes) {
  for (const NamedRange& denied : default_denied()) {
    if (denied.range.contains(bytes)) return denied.name;
  }
  return nullptr;
}

}  // namespace

AddressGuard::AddressGuard(core::IpRanges allow, core::IpRanges deny)
    : allow_(std::move(allow)), deny_(std::move(deny)) {}

GuardDecision AddressGuard::decide(std::string_view address) const {
  const auto bytes = core::parse_ip_address(address);
  if (!bytes || address.find_first_of("[] \t") != std::string_view::npos) {
    return {.allowed = false, .reason = "not a literal IP address"};
  }
  const auto inner = embedded_ipv4(*bytes);
  const auto either = [&](const auto& test) { return test(*bytes) || (inner && test(*inner)); };
  if (either([&](const core::IpBytes& b) { return deny_.contains(b); })) {
    return {.allowed = false, .reason = "denied by --outbound-deny"};
  }
  if (either([&](const core::IpBytes& b) { return allow_.contains(b); })) {
    return {.allowed = true, .reason = "allowed by --outbound-allow"};
  }
  if (const char* name = default_denial(*bytes)) return {.allowed = false, .reason = name};
  if (inner) {
    if (const char* name = default_denial(*inner)) {
      return {.allowed = false, .reason = std::string(name) + " (embedded IPv4)"};
    }
  }
  return {.allowed = true, .reason = "public"};
}

}  // namespace image_resize::outbound
