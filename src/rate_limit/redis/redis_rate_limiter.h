#pragma once
// RateLimiter on Redis, shared by every API process: each bucket is a hash <prefix>rate:<bucket>
// {tokens, at} updated by one Lua script on Redis' own clock (TIME), so processes on machines
// with different clocks still share one rate. Buckets expire once they would be full again.
// Thread safety: every method from any thread at once.

#include <memory>

#include "rate_limit/rate_limiter.h"
#include "tasks/redis/redis_client.h"

namespace image_resize::rate_limit {

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(std::shared_ptr<tasks::RedisClient> client, RateLimit limit);
  core::Result<RateDecision> take(const std::string& bucket) override;

 private:
  // Constant after construction.
  const std::shared_ptr<tasks::RedisClient> client_;
  const RateLimit limit_;
};

}  // namespace image_resize::rate_limit
