#pragma once
// The X-Image-Resize-Signature header: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">", the
// scheme of Stripe's webhooks. The receiver recomputes it with the shared secret, compares in
// constant time, and refuses old timestamps (a replayed delivery).

#include <cstdint>
#include <string>
#include <string_view>

namespace image_resize::webhooks {

std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds,
                              std::string_view body);

}  // namespace image_resize::webhooks
