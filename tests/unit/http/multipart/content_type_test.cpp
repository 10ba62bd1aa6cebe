// Content-Type parsing and the multipart/form-data boundary check of the upload route.

#include "http/multipart/content_type.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

namespace image_resize::http {
namespace {

using core::ErrorCode;

template <class Case>
std::string case_name(const ::testing::TestParamInfo<Case>& param_info) {
  return param_info.param.name;
}

struct ContentTypeCase {
  std::string name;
  std::string header;
  std::string media_type;  // empty: expect malformed_request
  ParameterMap parameters = {};
};
void PrintTo(const ContentTypeCase& c, std::ostream* os) { *os << c.name; }

class ParseContentTypeTest : public ::testing::TestWithParam<ContentTypeCase> {};

TEST_P(ParseContentTypeTest, ParsesOrRejects) {
  const ContentTypeCase& c = GetParam();
  const auto parsed = parse_content_type(c.header);
  if (c.media_type.empty()) {
    ASSERT_FALSE(parsed.ok()) << "media type " << parsed->media_type;
    EXPECT_EQ(parsed.error().code, ErrorCode::malformed_request);
    EXPECT_TRUE(parsed.error().public_message.starts_with("Content-Type: "))
        << parsed.error().public_message;
    return;
  }
  ASSERT_TRUE(parsed.ok()) << parsed.error().public_message;
  EXPECT_EQ(parsed->media_type, c.media_type);
  EXPECT_EQ(parsed->parameters, c.parameters);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseContentTypeTest,
    ::testing::Values(ContentTypeCase{"FormDataWithBoundary",
                                      "multipart/form-data; boundary=abc",
                                      "multipart/form-data",
                                      {{"boundary", "abc"}}},
                      ContentTypeCase{"MediaTypeAndParameterNamesAreCaseInsensitive",
                                      "Multipart/Form-Data; BOUNDARY=AbC",
                                      "multipart/form-data",
                                      {{"boundary", "AbC"}}},
                      ContentTypeCase{"QuotedBoundaryKeepsSpacesAndColons",
                                      "multipart/form-data; boundary=\"a b:c\"",
                                      "multipart/form-data",
                                      {{"boundary", "a b:c"}}},
                      ContentTypeCase{"EscapedQuoteInQuotedValue",
                                      "text/plain; x=\"a\\\"b\\\\c\"",
                                      "text/plain",
                                      {{"x", "a\"b\\c"}}},
                      ContentTypeCase{"ExtraParameters",
                                      "multipart/form-data; charset=utf-8; boundary=xyz",
                                      "multipart/form-data",
                                      {{"charset", "utf-8"}, {"boundary", "xyz"}}},
                      ContentTypeCase{"WhitespaceAroundEverything",
                                      "  multipart/form-data ;boundary = xyz  ",
                                      "multipart/form-data",
                                      {{"boundary", "xyz"}}},
                      ContentTypeCase{"UnquotedEqualsSigns",
                                      "multipart/form-data; boundary====x==",
                                      "multipart/form-data",
                                      {{"boundary", "===x=="}}},
                      ContentTypeCase{"TrailingSemicolon", "text/plain;", "text/plain"},
                      ContentTypeCase{
                          "EmptyQuotedValue", "text/plain; a=\"\"", "text/plain", {{"a", ""}}},
                      ContentTypeCase{"NoParameters", "image/png", "image/png"},
                      ContentTypeCase{"Empty", "", ""}, ContentTypeCase{"NoSlash", "multipart", ""},
                      ContentTypeCase{"NoSubtype", "multipart/", ""},
                      ContentTypeCase{"NoType", "/form-data", ""},
                      ContentTypeCase{"SpaceInsideMediaType", "multi part/form-data", ""},
                      ContentTypeCase{"TwoSlashes", "a/b/c", ""},
                      ContentTypeCase{"ParameterWithoutValue", "text/plain; charset", ""},
                      ContentTypeCase{"ParameterWithEmptyValue", "text/plain; charset=", ""},
                      ContentTypeCase{"UnterminatedQuote", "text/plain; a=\"utf-8", ""},
                      ContentTypeCase{"DuplicateParameter", "text/plain; a=1; A=2", ""},
                      ContentTypeCase{"JunkAfterValue", "text/plain; a=1 b", ""},
                      ContentTypeCase{"JunkAfterQuotedValue", "text/plain; a=\"1\"b", ""},
                      ContentTypeCase{"MissingParameterName", "text/plain; =1", ""},
                      ContentTypeCase{"ControlCharacterInQuotedValue",
                                      std::string("text/plain; a=\"x\x01\""), ""}),
    case_name<ContentTypeCase>);

struct BoundaryCase {
  std::string name;
  std::string header;
  std::optional<std::string> boundary;  // nullopt: expect `code`
  ErrorCode code = ErrorCode::malformed_request;
};
void PrintTo(const BoundaryCase& c, std::ostream* os) { *os << c.name; }

class FormDataBoundaryTest : public ::testing::TestWithParam<BoundaryCase> {};

TEST_P(FormDataBoundaryTest, FindsBoundaryOrSaysWhy) {
  const BoundaryCase& c = GetParam();
  const auto boundary = form_data_boundary(c.header);
  if (c.boundary) {
    ASSERT_TRUE(boundary.ok()) << boundary.error().public_message;
    EXPECT_EQ(*boundary, *c.boundary);
    return;
  }
  ASSERT_FALSE(boundary.ok()) << "boundary " << *boundary;
  EXPECT_EQ(boundary.error().code, c.code) << boundary.error().public_message;
  EXPECT_FALSE(boundary.error().public_message.empty());
}

const std::string kLongest(70, 'b');

INSTANTIATE_TEST_SUITE_P(
    Cases, FormDataBoundaryTest,
    ::testing::Values(
        BoundaryCase{"Browser",
                     "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
                     "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
        BoundaryCase{"Curl",
                     "multipart/form-data; boundary=------------------------d74496d66958873e",
                     "------------------------d74496d66958873e"},
        BoundaryCase{"QuotedWithSpaceInside", "multipart/form-data; boundary=\"a b\"", "a b"},
        BoundaryCase{"UppercaseMediaType", "MULTIPART/FORM-DATA; Boundary=x", "x"},
        BoundaryCase{"WithCharset", "multipart/form-data; charset=utf-8; boundary=x", "x"},
        BoundaryCase{"SeventyCharacters", "multipart/form-data; boundary=" + kLongest, kLongest},
        BoundaryCase{"MissingHeader", "", std::nullopt, ErrorCode::unsupported_media_type},
        BoundaryCase{"Json", "application/json", std::nullopt, ErrorCode::unsupported_media_type},
        BoundaryCase{"UrlEncodedForm", "application/x-www-form-urlencoded", std::nullopt,
                     ErrorCode::unsupported_media_type},
        BoundaryCase{"MultipartMixed", "multipart/mixed; boundary=x", std::nullopt,
                     ErrorCode::unsupported_media_type},
        BoundaryCase{"FormDataPrefixOnly", "multipart/form-datax; boundary=x", std::nullopt,
                     ErrorCode::unsupported_media_type},
        BoundaryCase{"NoBoundary", "multipart/form-data", std::nullopt},
        BoundaryCase{"OtherParameterOnly", "multipart/form-data; charset=utf-8", std::nullopt},
        BoundaryCase{"EmptyBoundary", "multipart/form-data; boundary=", std::nullopt},
        BoundaryCase{"EmptyQuotedBoundary", "multipart/form-data; boundary=\"\"", std::nullopt},
        BoundaryCase{"SeventyOneCharacters", "multipart/form-data; boundary=" + kLongest + "b",
                     std::nullopt},
        BoundaryCase{"EndsInSpace", "multipart/form-data; boundary=\"ab \"", std::nullopt},
        BoundaryCase{"CharacterOutsideRfc2046", "multipart/form-data; boundary=\"a{b\"",
                     std::nullopt},
        BoundaryCase{"UnterminatedQuote", "multipart/form-data; boundary=\"abc", std::nullopt},
        BoundaryCase{"TwoBoundaries", "multipart/form-data; boundary=a; boundary=b", std::nullopt}),
    case_name<BoundaryCase>);

TEST(FormDataBoundaryMessageTest, SaysWhatToSend) {
  EXPECT_EQ(form_data_boundary("text/plain").error().public_message,
            "the request body must be multipart/form-data");
  EXPECT_EQ(form_data_boundary("multipart/form-data").error().public_message,
            "Content-Type multipart/form-data needs a boundary parameter");
}

}  // namespace
}  // namespace image_resize::http
