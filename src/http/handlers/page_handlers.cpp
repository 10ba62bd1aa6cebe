// GET / (the page to try the API), GET /dashboard, and GET /assets/<name>: files of web/ embedded
// in the binary. Revalidated by ETag, and locked to this origin by a Content-Security-Policy, so
// the pages make no request anywhere else.
#include "http/handlers/handlers.h"
#include "web/assets.h"

namespace image_resize::http {

namespace beast_http = boost::beast::http;

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

std::string asset_path(const RouteMatch& route) {
  switch (route.route) {
    case RouteId::home_page: return "index.html";
    case RouteId::dashboard_page: return "dashboard.html";
    default: return "assets/" + std::string(route.id);
  }
}

}  // namespace

Response handle_page(const Request& request, const RouteMatch& route) {
  const web::Asset* asset = web::find_asset(asset_path(route));
  if (asset == nullptr) {
    return error_response(core::Error::make(core::ErrorCode::route_not_found, "No such file."));
  }
  const bool unchanged = request[beast_http::field::if_none_match] == asset->etag;
  Response response{unchanged ? beast_http::status::not_modified : beast_http::status::ok, 11};
  response.set(beast_http::field::etag, asset->etag);
  // Always revalidated: a new build's pages are seen at once, an unchanged one costs a 304.
  response.set(beast_http::field::cache_control, "no-cache");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  if (unchanged) return response;
  response.set(beast_http::field::content_type, asset->content_type);
  response.body() = std::string(asset->body);
  response.prepare_payload();
  return response;
}

}  // namespace image_resize::http
