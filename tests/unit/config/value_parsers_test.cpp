#include "config/value_parsers.h"

#include <gtest/gtest.h>

namespace image_resize::config {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, UnitsAndPlainSeconds) {
  EXPECT_EQ(parse_duration("30"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("45s"), milliseconds(45'000));
  EXPECT_EQ(parse_duration("90m"), milliseconds(90 * 60'000));
  EXPECT_EQ(parse_duration("12h"), milliseconds(12 * 3'600'000LL));
  EXPECT_EQ(parse_duration("30d"), milliseconds(30 * 86'400'000LL));
  EXPECT_EQ(parse_duration("2H"), milliseconds(2 * 3'600'000LL));
}

TEST(ParseDuration, RejectsGarbage) {
  for (const char* bad : {"", "s", "-5s", "5 s", "5w", "1.5h", "99999999999999999999d"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(ParseByteSize, UnitsAndPlainBytes) {
  EXPECT_EQ(parse_byte_size("1024"), 1024u);
  EXPECT_EQ(parse_byte_size("50MiB"), 50ULL << 20);
  EXPECT_EQ(parse_byte_size("50M"), 50ULL << 20);
  EXPECT_EQ(parse_byte_size("100K"), 100ULL << 10);
  EXPECT_EQ(parse_byte_size("1mb"), 1'000'000u);
  EXPECT_EQ(parse_byte_size("2G"), 2ULL << 30);
  for (const char* bad : {"", "M", "-1", "1T", "1.5M", "99999999999999999999G"}) {
    EXPECT_FALSE(parse_byte_size(bad)) << bad;
  }
}

TEST(ParseBool, WordsAndDigitsInAnyCase) {
  for (const char* yes : {"true", "TRUE", "yes", "on", "1"})
    EXPECT_EQ(parse_bool(yes), true) << yes;
  for (const char* no : {"false", "False", "no", "off", "0"})
    EXPECT_EQ(parse_bool(no), false) << no;
  for (const char* bad : {"", "2", "yes please", "t"}) EXPECT_FALSE(parse_bool(bad)) << bad;
}

}  // namespace
}  // namespace image_resize::config

namespace image_resize::config {
namespace {

TEST(ParseMinFreeSpace, ASizeAPercentageOrBothTheSmallerCounting) {
  constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
  const auto both = parse_min_free_space("5%,1G");
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->floor_for(100 * kGiB), kGiB);     // 5 % would be 5 GiB
  EXPECT_EQ(both->floor_for(10 * kGiB), kGiB / 2);  // 5 % is 512 MiB
  const auto size = parse_min_free_space("2G");
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->floor_for(100 * kGiB), 2 * kGiB);
  const auto percent = parse_min_free_space("10%");
  ASSERT_TRUE(percent.has_value());
  EXPECT_EQ(percent->floor_for(100 * kGiB), 10 * kGiB);
  const auto none = parse_min_free_space("0");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->floor_for(100 * kGiB), 0u);
  // The default of AppConfig is what the flag's default says.
  const storage::MinFreeSpace defaults;
  EXPECT_EQ(defaults.floor_for(100 * kGiB), both->floor_for(100 * kGiB));
  EXPECT_EQ(defaults.floor_for(10 * kGiB), both->floor_for(10 * kGiB));
}

TEST(ParseMinFreeSpace, RejectsGarbage) {
  for (const char* bad : {"", "%", "101%", "-1%", "5%,6%", "1G,2G", "5%,", "lots", "5 %"}) {
    EXPECT_FALSE(parse_min_free_space(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace image_resize::config
