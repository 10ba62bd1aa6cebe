// --cors-origins on the wire (the browser's view is tests/e2e/cors.test.mjs): a preflight of an
// API route is answered 204 with the route's methods for a listed origin; every answer to a
// listed origin, errors and early refusals included, carries Access-Control-Allow-Origin and
// the readable headers; another origin gets none.
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

constexpr const char* kOrigin = "http://127.0.0.1:3000";
const std::string kSomeTask = std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d";

class Cors : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--cors-origins", std::string(kOrigin) + ",https://app.example"});
  }
};

TEST_F(Cors, APreflightOfAListedOriginGetsTheRoutesMethods) {
  const HttpResponse preflight =
      client().request("OPTIONS", std::string(kResizePath),
                       {{"Origin", kOrigin},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(preflight.status, 204) << preflight;
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin").value_or(""), kOrigin);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Methods").value_or(""), "POST");
  EXPECT_NE(preflight.header("Access-Control-Allow-Headers").value_or("").find("Authorization"),
            std::string::npos);
  const HttpResponse status_preflight = client().request(
      "OPTIONS", kSomeTask, {{"Origin", kOrigin}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(status_preflight.header("Access-Control-Allow-Methods").value_or(""), "GET, HEAD");

  const HttpResponse foreign = client().request(
      "OPTIONS", std::string(kResizePath),
      {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(foreign.status, 204);
  EXPECT_FALSE(foreign.has_header("Access-Control-Allow-Origin")) << foreign;
  // An OPTIONS that is no preflight is still a method the route does not take.
  EXPECT_TRUE(is_json_error(client().request("OPTIONS", std::string(kResizePath)), 405,
                            "method_not_allowed"));
}

TEST_F(Cors, EveryAnswerToAListedOriginIsReadableByItsPage) {
  const HttpResponse not_found = client().get(kSomeTask, {{"Origin", kOrigin}});
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.header("Access-Control-Allow-Origin").value_or(""), kOrigin);
  EXPECT_NE(not_found.header("Access-Control-Expose-Headers").value_or("").find("Location"),
            std::string::npos);
  EXPECT_EQ(not_found.header("Vary").value_or(""), "Origin");
  // Refused before the body is read (not multipart): still readable.
  const HttpResponse early =
      client().request("POST", std::string(kResizePath),
                       {{"Origin", "https://app.example"}, {"Content-Type", "text/plain"}}, "x");
  EXPECT_EQ(early.status, 415) << early;
  EXPECT_EQ(early.header("Access-Control-Allow-Origin").value_or(""), "https://app.example");

  EXPECT_FALSE(client()
                   .get(kSomeTask, {{"Origin", "http://evil.example"}})
                   .has_header("Access-Control-Allow-Origin"));
  EXPECT_FALSE(client().get(kSomeTask).has_header("Access-Control-Allow-Origin"));
}

}  // namespace
}  // namespace image_resize::integration
