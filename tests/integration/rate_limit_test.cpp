// --rate-limit: past the burst, /api/v1 requests get 429 rate_limited with Retry-After; the
// operations endpoints are never limited; and in the scaled-out mode the two API processes
// draw from one bucket in Redis, so together they admit the rate once, not twice.
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

}  // namespace
}  // namespace image_resize::integration
