#include "config/value_parsers.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

namespace image_resize::config {
namespace {

// A non-negative integer followed by a unit from `units`; a missing unit means `units[0]`.
template <std::size_t N>
std::optional<std::uint64_t> parse_with_unit(
    std::string_view text, const std::array<std::pair<std::string_view, std::uint64_t>, N>& units) {
  std::uint64_t number = 0;
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || rest == text.data()) return std::nullopt;
  std::string unit(rest, end);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    if (factor != 0 && number > std::numeric_limits<std::uint64_t>::max() / factor) {
      return std::nullopt;
    }
    return number * factor;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 6> kUnits{
      {{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
  auto ms = parse_with_unit(text, kUnits);
  if (!ms || *ms > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(*ms));
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 10> kUnits{
      {{"", 1},
       {"b", 1},
       {"k", 1ULL << 10},
       {"kib", 1ULL << 10},
       {"kb", 1000},
       {"m", 1ULL << 20},
       {"mib", 1ULL << 20},
       {"mb", 1'000'000},
       {"g", 1ULL << 30},
       {"gib", 1ULL << 30}}};
  return parse_with_unit(text, kUnits);
}

std::optional<storage::MinFreeSpace> parse_min_free_space(std::string_view text) {
  // Either part alone leaves the other without a say: 100 % of the disk, or no size cap.
  storage::MinFreeSpace floor{.bytes = UINT64_MAX, .percent = 100.0};
  bool seen_size = false;
  bool seen_percent = false;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    if (!part.empty() && part.back() == '%') {
      const std::string number(part.substr(0, part.size() - 1));
      char* end = nullptr;
      const double percent = std::strtod(number.c_str(), &end);
      if (seen_percent || number.empty() || end != number.c_str() + number.size() ||
          !(percent >= 0.0 && percent <= 100.0)) {
        return std::nullopt;
      }
      floor.percent = percent;
      seen_percent = true;
    } else {
      const auto bytes = parse_byte_size(part);
      if (seen_size || !bytes) return std::nullopt;
      floor.bytes = *bytes;
      seen_size = true;
    }
    if (comma == std::string_view::npos) return floor;
    text.remove_prefix(comma + 1);
  }
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") return false;
  return std::nullopt;
}

}  // namespace image_resize::config
