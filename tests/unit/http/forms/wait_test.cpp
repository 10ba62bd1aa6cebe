// ?wait=N on the status route: whole seconds from 0 to 30, nothing else.

#include "http/forms/wait.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace image_resize::http {
namespace {

struct WaitCase {
  std::string name;
  std::string value;
  int seconds;  // -1: expect invalid_wait
};
void PrintTo(const WaitCase& c, std::ostream* os) { *os << c.name; }

class WaitSecondsTest : public ::testing::TestWithParam<WaitCase> {};

TEST_P(WaitSecondsTest, ParsesOrRejects) {
  const WaitCase& c = GetParam();
  const auto wait = parse_wait_seconds(c.value);
  if (c.seconds >= 0) {
    ASSERT_TRUE(wait.ok()) << wait.error().public_message;
    EXPECT_EQ(*wait, std::chrono::seconds(c.seconds));
    return;
  }
  ASSERT_FALSE(wait.ok()) << "accepted " << wait->count();
  EXPECT_EQ(wait.error().code, core::ErrorCode::invalid_wait);
  EXPECT_EQ(wait.error().public_message, "wait must be a whole number of seconds from 0 to 30");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WaitSecondsTest,
    ::testing::Values(WaitCase{"Zero", "0", 0}, WaitCase{"Five", "5", 5}, WaitCase{"Max", "30", 30},
                      WaitCase{"LeadingZero", "07", 7}, WaitCase{"Empty", "", -1},
                      WaitCase{"OverMax", "31", -1}, WaitCase{"Negative", "-1", -1},
                      WaitCase{"PlusSign", "+1", -1}, WaitCase{"Fraction", "1.5", -1},
                      WaitCase{"LeadingSpace", " 1", -1}, WaitCase{"Letters", "abc", -1},
                      WaitCase{"Unit", "1s", -1},
                      WaitCase{"OverflowingDigits", "99999999999999999999", -1}),
    [](const ::testing::TestParamInfo<WaitCase>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace image_resize::http
