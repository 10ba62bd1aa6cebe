#include "core/ip_ranges.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "core/comma_list.h"

namespace image_resize::core {
namespace {

std::optional<IpRange> parse_range(std::string_view entry) {
  const auto slash = entry.find('/');
  const auto bytes = parse_ip_address(entry.substr(0, slash));
  if (!bytes) return std::nullopt;
  IpRange range{.bytes = *bytes, .prefix_bits = 128};
  if (slash == std::string_view::npos) return range;
  const std::string_view bits = entry.substr(slash + 1);
  int prefix = -1;
  const auto parsed = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  const int max_bits = is_ipv4_mapped(*bytes) ? 32 : 128;
  if (bits.empty() || parsed.ec != std::errc() || parsed.ptr != bits.data() + bits.size() ||
      prefix < 0 || prefix > max_bits) {
    return std::nullopt;
  }
  range.prefix_bits = is_ipv4_mapped(*bytes) ? 96 + prefix : prefix;
  return range;
}

}  // namespace

std::optional<IpBytes> parse_ip_address(std::string_view text) {
  text = trim_blanks(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  const std::string copy(text);
  IpBytes bytes{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, copy.c_str(), v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::copy(v4, v4 + 4, bytes.begin() + 12);
    return bytes;
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

bool is_ipv4_mapped(const IpBytes& bytes) {
  const bool zeros = std::all_of(bytes.begin(), bytes.begin() + 10, [](auto b) { return b == 0; });
  return zeros && bytes[10] == 0xff && bytes[11] == 0xff;
}

std::string format_ip_address(const IpBytes& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_ipv4_mapped(bytes)) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

bool IpRange::contains(const IpBytes& address) const {
  for (int bit = 0; bit < prefix_bits; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const int mask = 0x80 >> (bit % 8);
    if ((address[byte] & mask) != (bytes[byte] & mask)) return false;
  }
  return true;
}

Result<IpRanges> IpRanges::parse(std::string_view list) { return from_list(comma_separated(list)); }

Result<IpRanges> IpRanges::from_list(const std::vector<std::string_view>& entries) {
  IpRanges ranges;
  for (const std::string_view entry : entries) {
    const auto range = parse_range(trim_blanks(entry));
    if (!range) {
      // append() rather than operator+: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
      std::string message = "'";
      message.append(entry).append("' is not an IP address or CIDR range");
      return Error::make(ErrorCode::internal, std::move(message));
    }
    ranges.ranges_.push_back(*range);
  }
  return ranges;
}

bool IpRanges::contains(std::string_view address) const {
  const auto bytes = parse_ip_address(address);
  return bytes && contains(*bytes);
}

bool IpRanges::contains(const IpBytes& address) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const IpRange& range) { return range.contains(address); });
}

}  // namespace image_resize::core
