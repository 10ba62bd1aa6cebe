// The OpenAPI document and the router tell the same story: every route the server has is in the
// document with each of its methods, and every documented operation is a route that answers it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "http/handlers/handlers.h"
#include "http/router.h"

namespace image_resize::http {
namespace {

using Operation = std::pair<std::string, std::string>;  // path template, lower-case method

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::set<Operation> routed_operations() {
  std::set<Operation> operations;
  for (const RouteDescription& route : describe_routes()) {
    for (auto method : route.methods) {
      operations.insert({route.path_template, lower(boost::beast::http::to_string(method))});
    }
  }
  return operations;
}

std::set<Operation> documented_operations() {
  std::set<Operation> operations;
  for (const auto& [path, item] : openapi_document().at("paths").items()) {
    for (const auto& [method, operation] : item.items()) operations.insert({path, method});
  }
  return operations;
}

TEST(OpenApiRoutes, EveryRouteIsDocumented) {
  const auto documented = documented_operations();
  for (const Operation& operation : routed_operations()) {
    EXPECT_TRUE(documented.contains(operation))
        << operation.second << " " << operation.first << " is routed but not documented";
  }
}

TEST(OpenApiRoutes, EveryDocumentedOperationIsRouted) {
  const auto routed = routed_operations();
  for (const Operation& operation : documented_operations()) {
    EXPECT_TRUE(routed.contains(operation))
        << operation.second << " " << operation.first << " is documented but not routed";
  }
}

TEST(OpenApiRoutes, DocumentedPathsMatchTheRouterWithRealValues) {
  // A template filled in with a real value reaches the route it documents.
  for (const RouteDescription& route : describe_routes()) {
    std::string path = route.path_template;
    if (auto brace = path.find('{'); brace != std::string::npos) {
      path.replace(brace, path.find('}') - brace + 1, "c4ac4a34-40a2-4750-a158-767c2c68164d");
    }
    const RouteMatch match = match_route(route.methods.front(), path);
    EXPECT_EQ(match.kind, RouteMatch::Kind::matched) << path;
    EXPECT_EQ(match.route, route.id) << path;
  }
}

TEST(OpenApiRoutes, TheDocumentHasTheShapeOfOpenApi31) {
  const nlohmann::json& document = openapi_document();
  EXPECT_TRUE(document.at("openapi").get<std::string>().starts_with("3.1."));
  EXPECT_TRUE(document.at("info").contains("title"));
  EXPECT_TRUE(document.at("info").contains("version"));
  for (const auto& [path, item] : document.at("paths").items()) {
    EXPECT_TRUE(path.starts_with("/")) << path;
    for (const auto& [method, operation] : item.items()) {
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
      // Every path parameter in the template is declared.
      if (path.find('{') != std::string::npos) {
        EXPECT_TRUE(operation.contains("parameters")) << method << " " << path;
      }
    }
  }
}

}  // namespace
}  // namespace image_resize::http
