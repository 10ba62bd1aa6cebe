#pragma once
// RateLimiter in this process's memory, for `serve` (one process holds every bucket).
// Thread safety: every method from any thread at once.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "rate_limit/rate_limiter.h"

namespace image_resize::rate_limit {

class MemoryRateLimiter final : public RateLimiter {
 public:
  explicit MemoryRateLimiter(RateLimit limit) : limit_(limit) {}
  core::Result<RateDecision> take(const std::string& bucket) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };

  const RateLimit limit_;  // constant after construction
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace image_resize::rate_limit
