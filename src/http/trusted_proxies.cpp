#include "http/trusted_proxies.h"

#include <arpa/inet.h>

#include <charconv>
#include <optional>

#include "http/comma_list.h"

namespace image_resize::http {
namespace {

// An address as 16 bytes (IPv4 mapped into IPv6), or nullopt when it is not one.
std::optional<std::array<unsigned char, 16>> address_bytes(std::string_view text) {
  text = trim_blanks(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  const std::string copy(text);
  std::array<unsigned char, 16> bytes{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, copy.c_str(), v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::copy(v4, v4 + 4, bytes.begin() + 12);
    return bytes;
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

bool is_v4_mapped(const std::array<unsigned char, 16>& bytes) {
  for (int i = 0; i < 10; ++i) {
    if (bytes[static_cast<std::size_t>(i)] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

}  // namespace

core::Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies proxies;
  for (const std::string_view entry : comma_separated(list)) {
    const auto slash = entry.find('/');
    const auto bytes = address_bytes(entry.substr(0, slash));
    auto bad = [&] {
      return core::Error::make(
          core::ErrorCode::internal,
          "--trusted-proxies: '" + std::string(entry) + "' is not an IP address or CIDR range");
    };
    if (!bytes) return bad();
    Range range{.bytes = *bytes, .prefix_bits = 128};
    if (slash != std::string_view::npos) {
      const std::string_view bits = entry.substr(slash + 1);
      int prefix = -1;
      const auto parsed = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      const int max_bits = is_v4_mapped(*bytes) ? 32 : 128;
      if (bits.empty() || parsed.ec != std::errc() || parsed.ptr != bits.data() + bits.size() ||
          prefix < 0 || prefix > max_bits) {
        return bad();
      }
      range.prefix_bits = is_v4_mapped(*bytes) ? 96 + prefix : prefix;
    }
    proxies.ranges_.push_back(range);
  }
  return proxies;
}

bool TrustedProxies::contains(std::string_view address) const {
  const auto bytes = address_bytes(address);
  if (!bytes) return false;
  for (const Range& range : ranges_) {
    bool inside = true;
    for (int bit = 0; bit < range.prefix_bits && inside; ++bit) {
      const auto byte = static_cast<std::size_t>(bit / 8);
      const int mask = 0x80 >> (bit % 8);
      inside = ((*bytes)[byte] & mask) == (range.bytes[byte] & mask);
    }
    if (inside) return true;
  }
  return false;
}

std::string TrustedProxies::client_address(std::string_view peer,
                                           std::string_view forwarded_for) const {
  if (forwarded_for.empty() || !contains(peer)) return std::string(peer);
  std::string_view leftmost;
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view hop = trim_blanks(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (!address_bytes(hop)) return std::string(peer);  // garbage: believe nothing of it
    if (!contains(hop)) return std::string(hop);
    leftmost = hop;
  }
  return leftmost.empty() ? std::string(peer) : std::string(leftmost);
}

}  // namespace image_resize::http
