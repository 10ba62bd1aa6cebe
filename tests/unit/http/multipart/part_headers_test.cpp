// The header block of one part: Content-Disposition's name and filename, Content-Type.

#include "http/multipart/part_headers.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

namespace image_resize::http {
namespace {

struct HeadersCase {
  std::string name;
  std::string block;                    // header lines, each ending CRLF
  std::optional<PartHeaders> expected;  // nullopt: malformed_request
  std::string message_part = "";        // for errors: a piece of the public message
};
void PrintTo(const HeadersCase& c, std::ostream* os) { *os << c.name; }

class PartHeadersTest : public ::testing::TestWithParam<HeadersCase> {};

TEST_P(PartHeadersTest, ParsesOrRejects) {
  const HeadersCase& c = GetParam();
  const auto headers = parse_part_headers(c.block);
  if (c.expected) {
    ASSERT_TRUE(headers.ok()) << headers.error().public_message;
    EXPECT_EQ(headers->name, c.expected->name);
    EXPECT_EQ(headers->filename, c.expected->filename);
    EXPECT_EQ(headers->content_type, c.expected->content_type);
    return;
  }
  ASSERT_FALSE(headers.ok()) << "parsed name " << headers->name;
  EXPECT_EQ(headers.error().code, core::ErrorCode::malformed_request);
  EXPECT_NE(headers.error().public_message.find(c.message_part), std::string::npos)
      << headers.error().public_message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PartHeadersTest,
    ::testing::Values(
        HeadersCase{"TextField", "Content-Disposition: form-data; name=\"width\"\r\n",
                    PartHeaders{"width", "", ""}},
        HeadersCase{"FileWithType",
                    "Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                    "Content-Type: image/png\r\n",
                    PartHeaders{"file", "cat.png", "image/png"}},
        HeadersCase{"HeaderNamesAnyCase",
                    "content-DISPOSITION: Form-Data; NAME=file; FileName=a.jpg\r\n"
                    "CONTENT-TYPE:image/jpeg\r\n",
                    PartHeaders{"file", "a.jpg", "image/jpeg"}},
        HeadersCase{
            "EscapedQuotesInFilename",
            "Content-Disposition: form-data; name=\"file\"; filename=\"say \\\"hi\\\".png\"\r\n",
            PartHeaders{"file", "say \"hi\".png", ""}},
        HeadersCase{"SemicolonInsideQuotedFilename",
                    "Content-Disposition: form-data; name=\"file\"; filename=\"a;b=c.png\"\r\n",
                    PartHeaders{"file", "a;b=c.png", ""}},
        HeadersCase{"ExtendedFilenameWins",
                    "Content-Disposition: form-data; name=file; filename=\"EUR rates.png\"; "
                    "filename*=UTF-8''%e2%82%ac%20rates.png\r\n",
                    PartHeaders{"file", "\xe2\x82\xac rates.png", ""}},
        HeadersCase{"ExtendedFilenameInOtherCharsetIgnored",
                    "Content-Disposition: form-data; name=file; filename=a.png; "
                    "filename*=ISO-8859-1''%a3.png\r\n",
                    PartHeaders{"file", "a.png", ""}},
        HeadersCase{"OtherHeadersIgnored",
                    "X-Trace: 1\r\nContent-Disposition: form-data; name=q\r\n"
                    "Content-Transfer-Encoding: binary\r\n",
                    PartHeaders{"q", "", ""}},
        HeadersCase{"EmptyFilenameKept",
                    "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n",
                    PartHeaders{"file", "", ""}},
        HeadersCase{"NoHeaders", "", std::nullopt, "Content-Disposition"},
        HeadersCase{"OnlyContentType", "Content-Type: text/plain\r\n", std::nullopt,
                    "Content-Disposition"},
        HeadersCase{"NoName", "Content-Disposition: form-data; filename=a.png\r\n", std::nullopt,
                    "name"},
        HeadersCase{"EmptyName", "Content-Disposition: form-data; name=\"\"\r\n", std::nullopt,
                    "name"},
        HeadersCase{"NotFormData", "Content-Disposition: attachment; name=a\r\n", std::nullopt,
                    "form-data"},
        HeadersCase{"TwoDispositions",
                    "Content-Disposition: form-data; name=a\r\n"
                    "Content-Disposition: form-data; name=b\r\n",
                    std::nullopt, "two Content-Disposition"},
        HeadersCase{"TwoContentTypes",
                    "Content-Disposition: form-data; name=a\r\nContent-Type: a/b\r\n"
                    "Content-Type: c/d\r\n",
                    std::nullopt, "two Content-Type"},
        HeadersCase{"LineWithoutColon", "Content-Disposition form-data; name=a\r\n", std::nullopt,
                    "Name: value"},
        HeadersCase{"SpaceBeforeColon", "Content-Disposition : form-data; name=a\r\n", std::nullopt,
                    "Name: value"},
        HeadersCase{"FoldedLine", "Content-Disposition: form-data; name=a\r\n filename=b\r\n",
                    std::nullopt, "Name: value"},
        HeadersCase{"BareCarriageReturn", "Content-Disposition: form-data; name=a\rb\r\n",
                    std::nullopt, "control character"},
        HeadersCase{"UnterminatedQuotedName", "Content-Disposition: form-data; name=\"file\r\n",
                    std::nullopt, "unterminated"}),
    [](const ::testing::TestParamInfo<HeadersCase>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace image_resize::http
