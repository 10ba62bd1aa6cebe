// The route table: one entry per RouteId, and the /api/v1 routes — and only they — behind the API
// key and the rate limit.
#include "http/routes.h"

#include <gtest/gtest.h>

#include <set>

namespace image_resize::http {
namespace {

TEST(Routes, EveryRouteIdHasOneEntryFoundByItsId) {
  std::set<RouteId> seen;
  for (const Route& route : routes()) {
    EXPECT_TRUE(seen.insert(route.id).second) << route.name << " declared twice";
    EXPECT_EQ(route_of(route.id).id, route.id) << route.name;
    EXPECT_EQ(to_string(route.id), route.name);
    EXPECT_NE(route.handler, nullptr) << route.name;
    EXPECT_FALSE(route.methods.empty()) << route.name;
  }
  EXPECT_EQ(seen.size(), 18u);
}

TEST(Routes, TheApiRoutesAreExactlyThoseUnderApiV1) {
  for (const Route& route : routes()) {
    EXPECT_EQ(route.access != Access::open, route.path.starts_with("/api/v1/")) << route.name;
  }
}

TEST(Routes, OnlyTheResultRouteTakesASignedLink) {
  for (const Route& route : routes()) {
    EXPECT_EQ(route.access == Access::api_or_signed_link, route.id == RouteId::result)
        << route.name;
  }
}

TEST(Routes, OnlyTheWorkerRoutesAreOperatorRoutes) {
  for (const Route& route : routes()) {
    EXPECT_EQ(route.access == Access::admin, route.path.starts_with("/api/v1/workers"))
        << route.name;
  }
}

TEST(Routes, OnlyHealthReadinessAndMetricsAreOperationsRoutes) {
  std::set<std::string_view> operations;
  for (const Route& route : routes()) {
    if (route.operations) operations.insert(route.name);
  }
  EXPECT_EQ(operations, (std::set<std::string_view>{"healthz", "readyz", "metrics"}));
}

}  // namespace
}  // namespace image_resize::http
