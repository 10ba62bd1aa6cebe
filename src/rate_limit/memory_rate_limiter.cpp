#include "rate_limit/memory_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace image_resize::rate_limit {
namespace {
// Past this many buckets, full ones (clients gone quiet) are dropped: they are what a new
// bucket would be anyway, so memory stays bounded by the clients active lately.
constexpr std::size_t kPruneAbove = 10'000;
}  // namespace

core::Result<RateDecision> MemoryRateLimiter::take(const std::string& bucket) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  if (buckets_.size() > kPruneAbove) {
    std::erase_if(buckets_, [&](const auto& entry) {
      const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
      return entry.second.tokens + elapsed * limit_.per_second >= limit_.burst;
    });
  }
  auto [found, inserted] = buckets_.try_emplace(bucket, Bucket{limit_.burst, now});
  Bucket& state = found->second;
  const double elapsed = std::chrono::duration<double>(now - state.updated).count();
  state.tokens = std::min(limit_.burst, state.tokens + elapsed * limit_.per_second);
  state.updated = now;
  if (state.tokens >= 1.0) {
    state.tokens -= 1.0;
    return RateDecision{.allowed = true, .retry_after = {}};
  }
  const double wait_seconds = (1.0 - state.tokens) / limit_.per_second;
  return RateDecision{.allowed = false,
                      .retry_after = std::chrono::milliseconds(
                          static_cast<std::int64_t>(std::ceil(wait_seconds * 1000)))};
}

}  // namespace image_resize::rate_limit
