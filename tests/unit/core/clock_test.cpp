#include "core/clock.h"

#include <gtest/gtest.h>

namespace image_resize::core {
namespace {

TEST(Clock, FormatsIso8601WithMillisecondsInUtc) {
  EXPECT_EQ(format_iso8601(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(from_unix_ms(1795823400123)), "2026-11-27T23:50:00.123Z");
}

TEST(Clock, UnixMillisecondsRoundTrip) {
  const TimePoint t = now();
  EXPECT_EQ(from_unix_ms(to_unix_ms(t)), t);
}

}  // namespace
}  // namespace image_resize::core
