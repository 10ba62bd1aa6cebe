#pragma once
// Which addresses the service may connect to on a client's behalf. Denied unless allowed:
// loopback, private (RFC 1918), link-local (169.254.0.0/16, cloud metadata), CGNAT, multicast,
// unspecified, reserved and documentation ranges, and their IPv6 counterparts (unique-local,
// link-local, ::1, ::); an IPv4-mapped, NAT64 or 6to4 IPv6 address is judged by the IPv4 address
// inside it. --outbound-allow opens ranges; --outbound-deny closes more, and wins over allow.
// Thread safety: immutable after construction.

#include <string>
#include <string_view>

#include "core/ip_ranges.h"
#include "core/result.h"

namespace image_resize::outbound {

struct GuardDecision {
  bool allowed = false;
  std::string reason;  // for logs: "loopback", "private", "denied by --outbound-deny", ...
};

class AddressGuard {
 public:
  AddressGuard() = default;  // the default ranges denied, nothing else
  AddressGuard(core::IpRanges allow, core::IpRanges deny);

  // `address`: a literal IPv4 or IPv6 address (no brackets); anything else is denied.
  GuardDecision decide(std::string_view address) const;

 private:
  core::IpRanges allow_;
  core::IpRanges deny_;
};

}  // namespace image_resize::outbound
