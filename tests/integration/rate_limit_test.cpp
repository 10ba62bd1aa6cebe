// --rate-limit: past the burst, /api/v1 requests get 429 rate_limited with Retry-After; the
// operations endpoints are never limited; and in the scaled-out mode the two API processes
// draw from one bucket in Redis, so together they admit the rate once, not twice. Behind a
// proxy listed in --trusted-proxies each client (its X-Forwarded-For) has its own bucket; from
// anyone else the header changes nothing.
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

const std::string kSomeTask = std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d";

class RateLimit : public SharedServerTest {
 public:
  // One request a second, bursts of three: no refill to speak of within one test step.
  static void SetUpTestSuite() { start_with({"--rate-limit", "1", "--rate-burst", "3"}); }
};

TEST_F(RateLimit, PastTheBurstRequestsGet429WithRetryAfter) {
  // Every API process in turn (serve has one, the Redis deployment two).
  HttpClient first(server().port());
  HttpClient second(server().port());
  int admitted = 0;
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    const HttpResponse response = (i % 2 == 0 ? first : second).get(kSomeTask);
    if (response.status == 404) {
      ++admitted;
      continue;
    }
    EXPECT_TRUE(is_json_error(response, 429, "rate_limited")) << response;
    const int retry_after = std::stoi(response.header("Retry-After").value_or("0"));
    EXPECT_GE(retry_after, 1) << response;
    EXPECT_LE(retry_after, 2) << response;
    ++refused;
  }
  // The burst of three, and at most one token refilled meanwhile: one shared bucket.
  EXPECT_GE(admitted, 3);
  EXPECT_LE(admitted, 4);
  EXPECT_EQ(admitted + refused, 10);
}

TEST_F(RateLimit, OperationsAndPagesAreNotLimited) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(client().get("/healthz").status, 200) << i;
    EXPECT_EQ(client().get("/").status, 200) << i;
  }
}

// Requests from `forwarded_for` (through the loopback "proxy") until the first 429; how many
// were admitted.
int admitted_before_429(HttpClient& client, const std::string& forwarded_for) {
  for (int admitted = 0; admitted < 10; ++admitted) {
    const HttpResponse response = client.get(kSomeTask, {{"X-Forwarded-For", forwarded_for}});
    if (response.status == 429) return admitted;
    EXPECT_EQ(response.status, 404) << response;
  }
  return 10;
}

class RateLimitBehindAProxy : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--rate-limit", "0.1", "--rate-burst", "2", "--trusted-proxies", "127.0.0.0/8"});
  }
};

TEST_F(RateLimitBehindAProxy, EachForwardedClientHasItsOwnBucketAndIsLogged) {
  EXPECT_EQ(admitted_before_429(client(), "203.0.113.10"), 2);
  // Another client behind the same proxy is not held back by the first.
  EXPECT_EQ(admitted_before_429(client(), "203.0.113.11"), 2);
  // A hop the client wrote itself, left of the proxy's, is not believed.
  EXPECT_EQ(admitted_before_429(client(), "198.51.100.1, 203.0.113.10"), 0);
  EXPECT_TRUE(server().wait_for_log("client=203.0.113.11", std::chrono::seconds(5)))
      << server().log_tail();
}

TEST_F(RateLimit, XForwardedForFromAnUntrustedPeerChangesNothing) {
  // Without --trusted-proxies every request here is from 127.0.0.1, whatever it claims.
  HttpClient http(server().port());
  int admitted = 0;
  for (int i = 0; i < 6; ++i) {
    const std::string claimed = "203.0.113." + std::to_string(i);
    if (http.get(kSomeTask, {{"X-Forwarded-For", claimed}}).status == 404) ++admitted;
  }
  EXPECT_LE(admitted, 4);
}

}  // namespace
}  // namespace image_resize::integration
