// Request targets split into a raw path and decoded query parameters.

#include "http/forms/query.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

namespace image_resize::http {
namespace {

struct QueryCase {
  std::string name;
  std::string target;
  std::string path;  // empty: expect malformed_request
  QueryMap query = {};
};
void PrintTo(const QueryCase& c, std::ostream* os) { *os << c.name; }

class ParseQueryTest : public ::testing::TestWithParam<QueryCase> {};

TEST_P(ParseQueryTest, SplitsAndDecodes) {
  const QueryCase& c = GetParam();
  const auto parsed = parse_query(c.target);
  if (c.path.empty()) {
    ASSERT_FALSE(parsed.ok()) << "path " << parsed->path;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::malformed_request);
    return;
  }
  ASSERT_TRUE(parsed.ok()) << parsed.error().public_message;
  EXPECT_EQ(parsed->path, c.path);
  EXPECT_EQ(parsed->query, c.query);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseQueryTest,
    ::testing::Values(
        QueryCase{"NoQuery", "/api/v1/status/abc", "/api/v1/status/abc"},
        QueryCase{"Wait", "/api/v1/status/abc?wait=5", "/api/v1/status/abc", {{"wait", "5"}}},
        QueryCase{"Several", "/p?a=1&b=two", "/p", {{"a", "1"}, {"b", "two"}}},
        QueryCase{"PercentAndPlus", "/p?q=a%20b+c", "/p", {{"q", "a b c"}}},
        QueryCase{"EncodedNameAndDelimiters", "/p?name%3D=x%26y", "/p", {{"name=", "x&y"}}},
        QueryCase{"UppercaseAndLowercaseHex", "/p?%41=%6a%6A", "/p", {{"A", "jj"}}},
        QueryCase{"NameWithoutValue", "/p?flag", "/p", {{"flag", ""}}},
        QueryCase{"EmptyValue", "/p?wait=", "/p", {{"wait", ""}}},
        QueryCase{"EqualsInValue", "/p?a=b=c", "/p", {{"a", "b=c"}}},
        QueryCase{"EmptySegmentsSkipped", "/p?&a=1&&b=2&", "/p", {{"a", "1"}, {"b", "2"}}},
        QueryCase{"EmptyNameSkipped", "/p?=5&a=1", "/p", {{"a", "1"}}},
        QueryCase{"QuestionMarkOnly", "/p?", "/p"},
        QueryCase{"FragmentDropped", "/p?a=1#frag?b=2", "/p", {{"a", "1"}}},
        QueryCase{"PathNotDecoded", "/p%20x/y?z=%20", "/p%20x/y", {{"z", " "}}},
        QueryCase{"QuestionMarkInValue", "/p?a=?b", "/p", {{"a", "?b"}}},
        QueryCase{"BadHexDigits", "/p?a=%zz", ""}, QueryCase{"TruncatedEscape", "/p?a=%4", ""},
        QueryCase{"LonePercent", "/p?a=%", ""}, QueryCase{"BadEscapeInName", "/p?%g1=1", ""},
        QueryCase{"DuplicateParameter", "/p?wait=1&wait=2", ""},
        QueryCase{"DuplicateAfterDecoding", "/p?a=1&%61=2", ""}),
    [](const ::testing::TestParamInfo<QueryCase>& param_info) { return param_info.param.name; });

TEST(ParseQueryTest, ParamLooksUpDecodedNames) {
  const auto parsed = parse_query("/api/v1/status/x?wait=10&other=1");
  ASSERT_TRUE(parsed.ok());
  ASSERT_NE(parsed->param("wait"), nullptr);
  EXPECT_EQ(*parsed->param("wait"), "10");
  EXPECT_EQ(parsed->param("missing"), nullptr);
}

TEST(ParseQueryTest, MessagesSayWhatIsWrong) {
  EXPECT_EQ(parse_query("/p?wait=1&wait=2").error().public_message,
            "the query parameter 'wait' is given more than once");
  EXPECT_NE(parse_query("/p?a=%zz").error().public_message.find("%XX"), std::string::npos);
}

}  // namespace
}  // namespace image_resize::http
