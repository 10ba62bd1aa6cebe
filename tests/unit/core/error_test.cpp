#include "core/error.h"

#include <gtest/gtest.h>

#include <set>

#include "core/result.h"

namespace image_resize::core {
namespace {

TEST(ErrorCode, NamesAreUniqueSnakeCaseAndParseBack) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::internal); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const std::string_view name = to_string(code);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos);
    EXPECT_EQ(parse_error_code(name), code);
  }
  EXPECT_FALSE(parse_error_code("no_such_code"));
}

TEST(Result, HoldsAValueOrAnError) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Error::make(ErrorCode::invalid_size, "public", "internal detail");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_size);
  EXPECT_EQ(bad.error().log_message(), "internal detail");
  Status fine;
  EXPECT_TRUE(fine.ok());
  Status failed = Error::make(ErrorCode::internal, "public only");
  EXPECT_EQ(failed.error().log_message(), "public only");
}

}  // namespace
}  // namespace image_resize::core
