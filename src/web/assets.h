#pragma once
// The embedded web files as HTTP resources: content type by extension and a strong ETag.
// Thread safety: find_asset may be called from any thread (the table is built once).

#include <string>
#include <string_view>

namespace image_resize::web {

struct Asset {
  std::string_view path;
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
  std::string etag;  // quoted, from a hash of the body
};

// The OpenAPI document (docs/openapi.json), compiled in beside web/'s files under this path.
inline constexpr std::string_view kOpenApiDocument = "openapi.json";

// The asset at `path` relative to web/ ("index.html", "assets/app.js"), or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace image_resize::web
