// GET /api/v1/formats: what a client may upload and ask for on this server, so that it need not
// guess from errors (JPEG XL, say, is written by Debian 12's libvips but not read).
#include <nlohmann/json.hpp>

#include "http/handlers/handlers.h"

namespace image_resize::http {

Response handle_formats(const ApiContext& ctx) {
  nlohmann::json formats = nlohmann::json::array();
  for (const imaging::FormatSupport& format : ctx.formats) {
    formats.push_back({{"format", core::to_string(format.format)},
                       {"mime_type", core::mime_type(format.format)},
                       {"read", format.read},
                       {"write", format.write},
                       {"alpha", format.alpha},
                       {"animation", format.animation}});
  }
  // format=auto's candidates in its order of preference (docs/API.md).
  const nlohmann::json automatic = {"avif", "webp", "jpeg", "png", "gif"};
  return json_response(boost::beast::http::status::ok,
                       nlohmann::json{{"formats", formats}, {"auto", automatic}});
}

}  // namespace image_resize::http
