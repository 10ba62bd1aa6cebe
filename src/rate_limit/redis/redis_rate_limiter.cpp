#include "rate_limit/redis/redis_rate_limiter.h"

#include <cmath>
#include <string_view>

namespace image_resize::rate_limit {
namespace {

// ARGV: 2 bucket, 3 tokens per second, 4 burst. Returns {1, 0} when a token was taken, else
// {0, ms until the next token}. Redis 7 scripts may call TIME (effects are replicated).
constexpr std::string_view kTake = R"lua(
local key = prefix .. 'rate:' .. ARGV[2]
local rate = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, wait}
)lua";

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<tasks::RedisClient> client, RateLimit limit)
    : client_(std::move(client)), limit_(limit) {}

core::Result<RateDecision> RedisRateLimiter::take(const std::string& bucket) {
  auto reply = client_->eval(kTake, {bucket, number(limit_.per_second), number(limit_.burst)});
  if (!reply.ok()) return reply.error();
  if (reply->elements.size() != 2) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "redis: unexpected reply of the rate-limit script");
  }
  const bool allowed = reply->elements[0].as_integer().value_or(0) == 1;
  const auto wait = reply->elements[1].as_integer().value_or(1000);
  return RateDecision{.allowed = allowed, .retry_after = std::chrono::milliseconds(wait)};
}

}  // namespace image_resize::rate_limit
