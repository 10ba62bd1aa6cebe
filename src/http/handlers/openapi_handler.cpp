// GET /api/v1/openapi.json: the OpenAPI 3.1 description of docs/API.md and of every other route,
// built once from docs/openapi.json (compiled in with web/'s files), with what every route shares
// added here (tests/unit/http/routing/openapi_routes_test.cpp holds it to the router).
#include <nlohmann/json.hpp>

#include "http/handlers/handlers.h"
#include "web/assets.h"

namespace image_resize::http {

const nlohmann::json& openapi_document() {
  static const nlohmann::json kDocument = [] {
    const web::Asset* file = web::find_asset(web::kOpenApiDocument);
    auto document = nlohmann::json::parse(file ? file->body : std::string_view("{}"));
    // With --api-keys-file, every /api/v1 route takes a bearer key (401 without, 403 wrong).
    document["components"]["securitySchemes"] = {
        {"apiKey", {{"type", "http"}, {"scheme", "bearer"}}}};
    for (auto& [path, operations] : document["paths"].items()) {
      if (!path.starts_with("/api/v1/")) continue;
      for (auto& [method, operation] : operations.items()) {
        operation["security"] = nlohmann::json::array(
            {nlohmann::json::object(), {{"apiKey", nlohmann::json::array()}}});
        operation["responses"]["401"] = {{"$ref", "#/components/responses/Error"}};
        operation["responses"]["403"] = {{"$ref", "#/components/responses/Error"}};
      }
    }
    // Every GET route answers HEAD with the same headers and no body (RFC 9110), so the
    // document says so for each, rather than repeating it by hand.
    for (auto& [path, operations] : document["paths"].items()) {
      if (!operations.contains("get")) continue;
      nlohmann::json head = {{"summary", "The headers of GET " + path + ", without the body"},
                             {"responses", operations["get"]["responses"]}};
      if (operations["get"].contains("parameters")) {
        head["parameters"] = operations["get"]["parameters"];
      }
      operations["head"] = std::move(head);
    }
    return document;
  }();
  return kDocument;
}

Response handle_openapi() {
  return json_response(boost::beast::http::status::ok, openapi_document());
}

}  // namespace image_resize::http
