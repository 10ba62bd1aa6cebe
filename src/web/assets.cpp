#include "web/assets.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>

#include "web/embedded_files.h"

namespace image_resize::web {
namespace {

std::string_view content_type_of(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

// FNV-1a: stable across builds and runs, which is all an ETag needs.
std::string etag_of(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  std::array<char, 20> text{};
  std::snprintf(text.data(), text.size(), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text.data();
}

}  // namespace

const Asset* find_asset(std::string_view path) {
  static const auto kAssets = [] {
    std::map<std::string_view, Asset, std::less<>> assets;
    for (const EmbeddedFile& file : embedded_files()) {
      assets.emplace(file.path, Asset{.path = file.path,
                                      .content_type = content_type_of(file.path),
                                      .body = file.bytes,
                                      .etag = etag_of(file.bytes)});
    }
    return assets;
  }();
  auto found = kAssets.find(path);
  return found == kAssets.end() ? nullptr : &found->second;
}

}  // namespace image_resize::web
