// The signature header of webhook deliveries, against a value computed independently
// (Python: hmac.new(secret, b"1700000000." + body, hashlib.sha256).hexdigest()).
#include "webhooks/webhook_signature.h"

#include <gtest/gtest.h>

namespace image_resize::webhooks {
namespace {

constexpr std::string_view kSecret = "whsec_test_secret_0123456789abcdef";

TEST(WebhookSignatureTest, IsStripesSchemeOverTheTimestampAndBody) {
  EXPECT_EQ(webhook_signature(kSecret, 1'700'000'000, R"({"a":1})"),
            "t=1700000000,v1=296f547a4f0b9eadfa573de7df458dfbf92032f516d3453e6c234d9a7dd753e8");
}

TEST(WebhookSignatureTest, ChangesWithEachInput) {
  const std::string signature = webhook_signature(kSecret, 1'700'000'000, R"({"a":1})");
  EXPECT_NE(webhook_signature(kSecret, 1'700'000'001, R"({"a":1})"), signature);
  EXPECT_NE(webhook_signature(kSecret, 1'700'000'000, R"({"a":2})"), signature);
  EXPECT_NE(webhook_signature("another secret of 32 characters!", 1'700'000'000, R"({"a":1})"),
            signature);
}

}  // namespace
}  // namespace image_resize::webhooks
