// The RateLimiter contract (rate_limit/rate_limiter.h): a token bucket per name, run against the
// in-memory limiter of `serve` and the Redis one of the scaled-out mode. One token a second, so
// a slow machine cannot refill a bucket between two takes of one test step.
#include <thread>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

template <class Backend>
class RateLimiterContract : public TaskContractFixture<Backend> {
 protected:
  void SetUp() override {
    TaskContractFixture<Backend>::SetUp();
    limiter_ = this->backend().rate_limiter({.per_second = 1, .burst = 3});
  }
  rate_limit::RateDecision take(const std::string& bucket) {
    auto decision = limiter_->take(bucket);
    EXPECT_TRUE(decision.ok()) << decision.error().log_message();
    return decision.ok() ? *decision : rate_limit::RateDecision{};
  }
  std::unique_ptr<rate_limit::RateLimiter> limiter_;
};
TYPED_TEST_SUITE(RateLimiterContract, TaskBackends);

TYPED_TEST(RateLimiterContract, AllowsABurstThenRefusesWithTheWaitForTheNextToken) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(this->take("client-a").allowed) << i;
  const rate_limit::RateDecision refused = this->take("client-a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_GT(refused.retry_after.count(), 0);
  EXPECT_LE(refused.retry_after.count(), 1000);
}

TYPED_TEST(RateLimiterContract, BucketsAreIndependent) {
  for (int i = 0; i < 3; ++i) this->take("client-a");
  EXPECT_FALSE(this->take("client-a").allowed);
  EXPECT_TRUE(this->take("client-b").allowed);
}

TYPED_TEST(RateLimiterContract, AnEmptyBucketRefillsAtTheRate) {
  for (int i = 0; i < 3; ++i) this->take("client-a");
  const rate_limit::RateDecision refused = this->take("client-a");
  ASSERT_FALSE(refused.allowed);
  std::this_thread::sleep_for(refused.retry_after + std::chrono::milliseconds(50));
  EXPECT_TRUE(this->take("client-a").allowed);
  EXPECT_FALSE(this->take("client-a").allowed);
}

}  // namespace
}  // namespace image_resize::contract
