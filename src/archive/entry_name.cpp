#include "archive/entry_name.h"

#include <algorithm>
#include <cctype>

namespace image_resize::archive {
namespace {

bool is_refused(unsigned char c) {
  return c < 0x20 || c == 0x7f ||
         std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos;
}

// Where the extension starts (its dot), or name.size() when there is none.
std::size_t extension_start(std::string_view name) {
  std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name.size() : dot;
}

// At most `bytes` bytes of `text`, not cutting a UTF-8 character in two.
std::string_view utf8_prefix(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::string safe_entry_name(std::string_view name) {
  std::string safe;
  safe.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c == '.' && i + 1 < name.size() && name[i + 1] == '.') {
      while (i + 1 < name.size() && name[i + 1] == '.') ++i;
      safe += '_';
    } else if (is_refused(c) || (c == '.' && safe.empty())) {
      safe += '_';
    } else {
      safe += static_cast<char>(c);
    }
  }
  if (safe.empty()) return "file";
  if (safe.size() > kMaxEntryNameBytes) {
    std::string_view view(safe);
    std::size_t dot = extension_start(view);
    std::string_view extension = utf8_prefix(view.substr(dot), kMaxEntryNameBytes / 4);
    std::string_view stem = utf8_prefix(view.substr(0, dot), kMaxEntryNameBytes - extension.size());
    return std::string(stem) + std::string(extension);
  }
  return safe;
}

std::string EntryNames::claim(std::string_view name) {
  std::string safe = safe_entry_name(name);
  if (taken_.insert(lower_ascii(safe)).second) return safe;
  std::size_t dot = extension_start(safe);
  std::string_view stem = std::string_view(safe).substr(0, dot);
  std::string_view extension = std::string_view(safe).substr(dot);
  for (std::size_t n = 2;; ++n) {
    std::string candidate = std::string(stem) + "-" + std::to_string(n) + std::string(extension);
    if (taken_.insert(lower_ascii(candidate)).second) return candidate;
  }
}

}  // namespace image_resize::archive
