#pragma once
// IP addresses and CIDR ranges, IPv4 and IPv6 in one list ("10.0.0.0/8,127.0.0.1,::1/128"), for
// the flags that name networks (--trusted-proxies, --outbound-allow, --outbound-deny). An IPv4
// address is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so "10.0.0.0/8" also contains
// "::ffff:10.1.2.3", and one comparison serves both families.
// Thread safety: immutable after construction.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::core {

using IpBytes = std::array<unsigned char, 16>;  // network order; IPv4 as ::ffff:a.b.c.d

// A literal IPv4 or IPv6 address (IPv6 also in brackets, blanks around ignored); nullopt for
// anything else: names, zone ids, CIDR suffixes, the odd IPv4 spellings (127.1, 0x7f.0.0.1).
std::optional<IpBytes> parse_ip_address(std::string_view text);
// ::ffff:0:0/96, i.e. an IPv4 address.
bool is_ipv4_mapped(const IpBytes& bytes);
// "127.0.0.1" for an IPv4-mapped address, "2001:db8::1" otherwise.
std::string format_ip_address(const IpBytes& bytes);

struct IpRange {
  IpBytes bytes{};
  int prefix_bits = 128;  // of the 128; an IPv4 /n is 96 + n

  bool contains(const IpBytes& address) const;
};

class IpRanges {
 public:
  IpRanges() = default;  // empty: contains nothing
  // "10.0.0.0/8,127.0.0.1,::1/128": addresses and CIDR ranges, comma-separated, blanks around
  // each ignored. An error (internal, for a flag's validation) names the first bad entry.
  static Result<IpRanges> parse(std::string_view list);
  // The same, one entry per element.
  static Result<IpRanges> from_list(const std::vector<std::string_view>& entries);

  bool empty() const { return ranges_.empty(); }
  // False for anything that is not a literal address.
  bool contains(std::string_view address) const;
  bool contains(const IpBytes& address) const;
  const std::vector<IpRange>& ranges() const { return ranges_; }

 private:
  std::vector<IpRange> ranges_;
};

}  // namespace image_resize::core
