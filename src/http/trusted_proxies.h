#pragma once
// --trusted-proxies CIDR,...: the reverse proxies whose X-Forwarded-For is believed. Behind a
// proxy every connection comes from the proxy's address, so logs and per-address rate limits
// would see one client; a proxy in the list says who its client was. From any other address the
// header is ignored, so a client cannot pick the address it is limited and logged by.
// Thread safety: immutable after parse.

#include <string>
#include <string_view>

#include "core/ip_ranges.h"
#include "core/result.h"

namespace image_resize::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // none: X-Forwarded-For is never believed
  // "10.0.0.0/8,127.0.0.1,::1/128": addresses and CIDR ranges, IPv4 or IPv6, comma-separated.
  static core::Result<TrustedProxies> parse(std::string_view list);

  bool empty() const { return ranges_.empty(); }
  bool contains(std::string_view address) const { return ranges_.contains(address); }
  // Who the request is from: `peer` itself, unless `peer` is a trusted proxy and sent
  // X-Forwarded-For; then the rightmost address of the header that is not a trusted proxy (a
  // client may have written anything left of it), or the leftmost when every one is.
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;

 private:
  core::IpRanges ranges_;
};

}  // namespace image_resize::http
