#pragma once
// Flag values that list items (--cors-origins, --trusted-proxies, X-Forwarded-For's hops, IP
// ranges): comma-separated, blanks around each item ignored.

#include <string_view>
#include <vector>

namespace image_resize::core {

// `text` without spaces and tabs at either end.
inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The items of `list`, each trimmed; an empty one between commas is kept (for the caller to
// refuse), nothing after the last non-blank item.
inline std::vector<std::string_view> comma_separated(std::string_view list) {
  std::vector<std::string_view> items;
  while (!trim_blanks(list).empty()) {
    const auto comma = list.find(',');
    items.push_back(trim_blanks(list.substr(0, comma)));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return items;
}

}  // namespace image_resize::core
