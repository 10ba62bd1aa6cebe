// LimitsChecker: the size checks made on header values, before decoding.
#include "imaging/limits_checker.h"

#include <gtest/gtest.h>

#include <string>

namespace image_resize::imaging {
namespace {

struct InputCase {
  std::string name;
  int width, height, frames;
  std::optional<core::ErrorCode> expected;  // nullopt = accepted
};

core::Limits small_limits() {
  core::Limits limits;
  limits.max_input_pixels = 1000;
  limits.max_frames = 3;
  limits.max_output_side = 50;
  return limits;
}

class CheckInputTest : public ::testing::TestWithParam<InputCase> {};

TEST_P(CheckInputTest, AcceptsOrRefuses) {
  const InputCase& c = GetParam();
  const core::Status status =
      LimitsChecker(small_limits()).check_input(c.width, c.height, c.frames);
  if (!c.expected) {
    EXPECT_TRUE(status.ok()) << status.error().public_message;
  } else {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, *c.expected);
    EXPECT_FALSE(status.error().public_message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Limits, CheckInputTest,
    ::testing::Values(InputCase{"exactly_at_pixel_limit", 100, 10, 1, std::nullopt},
                      InputCase{"one_pixel_over", 1001, 1, 1, core::ErrorCode::image_too_large},
                      InputCase{"frames_multiply_pixels", 10, 40, 3,
                                core::ErrorCode::image_too_large},
                      InputCase{"frames_within_pixels", 10, 30, 3, std::nullopt},
                      InputCase{"too_many_frames", 1, 1, 4, core::ErrorCode::image_too_large},
                      InputCase{"huge_header_does_not_overflow", 10'000'000, 10'000'000, 3,
                                core::ErrorCode::image_too_large},
                      InputCase{"zero_width", 0, 10, 1, core::ErrorCode::unsupported_image},
                      InputCase{"zero_frames", 10, 10, 0, core::ErrorCode::unsupported_image}),
    [](const auto& test_case) { return test_case.param.name; });

TEST(CheckInput, ZeroMeansUnlimited) {
  core::Limits limits;
  limits.max_input_pixels = 0;
  limits.max_frames = 0;
  EXPECT_TRUE(LimitsChecker(limits).check_input(10'000'000, 10'000'000, 100'000).ok());
}

TEST(CheckInput, MessageSaysTheLimit) {
  const core::Status status = LimitsChecker(core::Limits{}).check_input(50000, 50000, 1);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().public_message.find("the limit is 100000000 pixels"), std::string::npos)
      << status.error().public_message;
}

TEST(CheckOutput, EachSideAgainstTheLimit) {
  const LimitsChecker checker(small_limits());
  EXPECT_TRUE(checker.check_output(50, 50).ok());
  EXPECT_EQ(checker.check_output(51, 1).error().code, core::ErrorCode::image_too_large);
  EXPECT_EQ(checker.check_output(1, 51).error().code, core::ErrorCode::image_too_large);
  core::Limits unlimited;
  unlimited.max_output_side = 0;
  EXPECT_TRUE(LimitsChecker(unlimited).check_output(1'000'000, 1'000'000).ok());
}

}  // namespace
}  // namespace image_resize::imaging
