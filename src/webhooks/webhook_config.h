#pragma once
// Settings of webhook delivery. Loaded and validated by config/, owned here.

#include <chrono>
#include <string>

namespace image_resize::webhooks {

struct WebhookConfig {
  // File holding the secret that signs deliveries (its first line, 32+ characters). Without it
  // uploads with a callback_url are refused: an unsigned webhook cannot be told from a forgery.
  std::string secret_file;
  // One delivery attempt: connecting, sending and the receiver's answer.
  std::chrono::milliseconds timeout{10'000};
  // Failed deliveries are tried again, further apart each time, for this long after the task
  // ended; then the webhook is marked failed.
  std::chrono::milliseconds retry_for{std::chrono::hours(24)};
  // The wait after the first failed attempt; doubled after each one, up to max_backoff, and
  // shortened by a random part of up to half (jitter, so that receivers coming back are not
  // hit by every retry at once).
  std::chrono::milliseconds first_backoff{1'000};
  std::chrono::milliseconds max_backoff{std::chrono::hours(1)};

  bool enabled() const { return !secret_file.empty(); }
};

}  // namespace image_resize::webhooks
