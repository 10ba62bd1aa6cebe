#include "core/clock.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

namespace image_resize::core {
namespace {

TEST(Clock, FormatsIso8601WithMillisecondsInUtc) {
  EXPECT_EQ(format_iso8601(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(from_unix_ms(1795823400123)), "2026-11-27T23:50:00.123Z");
}

// The formatter against the C library's calendar, over leap days, month ends and random times.
TEST(Clock, FormatsEveryTimeAsGmtimeDoes) {
  std::vector<std::int64_t> times = {951782399999,  951782400000,  951868800000,  // 2000-02-29
                                     1709164800000, 4107542399999, 1798761599999};
  std::mt19937_64 random(42);
  for (int i = 0; i < 20000; ++i)
    times.push_back(static_cast<std::int64_t>(random() % 4102444800000));
  for (const std::int64_t ms : times) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char expected[80];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<int>(ms % 1000));
    ASSERT_EQ(format_iso8601(from_unix_ms(ms)), expected) << ms;
  }
}

TEST(Clock, UnixMillisecondsRoundTrip) {
  const TimePoint t = now();
  EXPECT_EQ(from_unix_ms(to_unix_ms(t)), t);
}

}  // namespace
}  // namespace image_resize::core
