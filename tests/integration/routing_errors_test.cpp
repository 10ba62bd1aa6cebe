// Requests that match no route (404) or use the wrong method on a known one (405 with Allow),
// all answered in the JSON error shape; and requests that are not HTTP at all.
#include <algorithm>
#include <ostream>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

struct UnknownRoute {
  std::string name;
  std::string method;
  std::string target;
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const UnknownRoute& c, std::ostream* out) { *out << c.name; }

class UnknownRoutes : public SharedServerTest,
                      public ::testing::WithParamInterface<UnknownRoute> {};

TEST_P(UnknownRoutes, AreNotFound) {
  const HttpResponse response = client().request(GetParam().method, GetParam().target);
  EXPECT_TRUE(is_json_error(response, 404, ""));
}

INSTANTIATE_TEST_SUITE_P(
    RoutingErrors, UnknownRoutes,
    ::testing::Values(UnknownRoute{"unknown_path", "GET", "/nope"},
                      UnknownRoute{"page_below_root", "GET", "/index.html"},
                      UnknownRoute{"asset_prefix_only", "GET", "/assets/"},
                      UnknownRoute{"old_unversioned_path", "POST", "/images/resize"},
                      UnknownRoute{"status_without_id", "GET", "/api/v1/status/"},
                      UnknownRoute{"status_with_extra_segment", "GET", "/api/v1/status/abc/def"},
                      UnknownRoute{"result_prefix_only", "GET", "/api/v1/images/result"},
                      UnknownRoute{"resize_with_suffix", "POST", "/api/v1/images/resize/extra"},
                      UnknownRoute{"v2", "GET",
                                   "/api/v2/status/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"}),
    [](const auto& test) { return test.param.name; });

struct WrongMethod {
  std::string name;
  std::string method;
  std::string target;
  std::vector<std::string> allowed;  // each must be in the Allow header
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const WrongMethod& c, std::ostream* out) { *out << c.name; }

class WrongMethods : public SharedServerTest, public ::testing::WithParamInterface<WrongMethod> {};

TEST_P(WrongMethods, AreNotAllowedAndSayWhatIs) {
  const WrongMethod& c = GetParam();
  const HttpResponse response = client().request(c.method, c.target);
  EXPECT_TRUE(is_json_error(response, 405, ""));
  const std::string allow = response.header("Allow").value_or("");
  ASSERT_FALSE(allow.empty()) << response;
  for (const std::string& method : c.allowed) {
    EXPECT_NE(allow.find(method), std::string::npos) << "Allow: " << allow << " lacks " << method;
  }
  EXPECT_EQ(allow.find(c.method), std::string::npos) << "Allow: " << allow;
}

const std::string kSomeId = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

INSTANTIATE_TEST_SUITE_P(
    RoutingErrors, WrongMethods,
    ::testing::Values(
        WrongMethod{"get_resize", "GET", "/api/v1/images/resize", {"POST"}},
        WrongMethod{"put_resize", "PUT", "/api/v1/images/resize", {"POST"}},
        WrongMethod{"post_status", "POST", "/api/v1/status/" + kSomeId, {"GET"}},
        WrongMethod{"delete_status", "DELETE", "/api/v1/status/" + kSomeId, {"GET"}},
        WrongMethod{"delete_result", "DELETE", "/api/v1/images/result/" + kSomeId, {"GET", "HEAD"}},
        WrongMethod{"get_tasks", "GET", "/api/v1/tasks/" + kSomeId, {"DELETE"}},
        WrongMethod{"post_healthz", "POST", "/healthz", {"GET"}}),
    [](const auto& test) { return test.param.name; });

class NotHttp : public SharedServerTest {};

TEST_F(NotHttp, GarbageGetsABadRequestOrAClosedConnection) {
  HttpClient raw(server().port(), std::chrono::seconds(5));
  const HttpResponse response = raw.send_raw("HELLO\x01\x02 nonsense\r\n\r\n");
  EXPECT_NE(response.error, "timeout") << "the server neither answered nor closed";
  if (response.status != 0) {
    EXPECT_EQ(response.status, 400) << response;
  }
}

TEST_F(NotHttp, AnOversizedHeaderIsRefused) {
  HttpClient raw(server().port(), std::chrono::seconds(5));
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(256 * 1024, 'a') + "\r\n\r\n";
  const HttpResponse response = raw.send_raw(request);
  EXPECT_NE(response.error, "timeout");
  if (response.status != 0) {
    EXPECT_TRUE(response.status == 431 || response.status == 400) << response;
  }
}

}  // namespace
}  // namespace image_resize::integration
