#pragma once
// Port: token buckets for --rate-limit, one per API key (or per client address without keys).
// A bucket holds up to `burst` tokens and gains `per_second` of them each second; a request
// takes one, and is refused while the bucket is empty. In memory for `serve`; in Redis for the
// scaled-out mode, one atomic script on Redis' clock, so that any number of API processes
// together admit the configured rate and not a multiple of it.
// Thread safety: every method may be called from any thread at once. take() may block.

#include <chrono>
#include <string>

#include "core/result.h"

namespace image_resize::rate_limit {

struct RateLimit {
  double per_second = 0;  // 0: no limit
  double burst = 1;       // at least 1
};

struct RateDecision {
  bool allowed = true;
  std::chrono::milliseconds retry_after{0};  // when refused: until the next token
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes a token from `bucket` if it has one.
  virtual core::Result<RateDecision> take(const std::string& bucket) = 0;
};

}  // namespace image_resize::rate_limit
