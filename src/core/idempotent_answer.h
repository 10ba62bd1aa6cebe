#pragma once
// The answer an upload with an Idempotency-Key got, recorded with its tasks so that a retry of
// the same upload gets the same answer instead of new tasks.

#include <chrono>
#include <string>

#include "core/clock.h"

namespace image_resize::core {

// How long a key is remembered: a client retrying after a day is making a new upload.
inline constexpr std::chrono::hours kIdempotencyWindow{24};

struct IdempotentAnswer {
  std::string owner;        // the API key's name; empty when keys are off
  std::string key;          // the Idempotency-Key header's value
  std::string fingerprint;  // what the upload asked (http/handlers/idempotency.h)
  std::string location;     // the 202's Location header
  std::string body;         // the 202's JSON
  TimePoint expires_at;

  bool operator==(const IdempotentAnswer&) const = default;
};

}  // namespace image_resize::core
