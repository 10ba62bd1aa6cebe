#include "http/trusted_proxies.h"

#include "core/comma_list.h"

namespace image_resize::http {

core::Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  auto ranges = core::IpRanges::parse(list);
  if (!ranges.ok()) {
    return core::Error::make(core::ErrorCode::internal,
                             "--trusted-proxies: " + ranges.error().public_message);
  }
  TrustedProxies proxies;
  proxies.ranges_ = std::move(ranges).value();
  return proxies;
}

std::string TrustedProxies::client_address(std::string_view peer,
                                           std::string_view forwarded_for) const {
  if (forwarded_for.empty() || !contains(peer)) return std::string(peer);
  std::string_view leftmost;
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view hop = core::trim_blanks(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (!core::parse_ip_address(hop)) return std::string(peer);  // garbage: believe nothing of it
    if (!contains(hop)) return std::string(hop);
    leftmost = hop;
  }
  return leftmost.empty() ? std::string(peer) : std::string(leftmost);
}

}  // namespace image_resize::http
