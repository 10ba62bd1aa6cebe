// Whole bodies through parse_multipart and the incremental parser: what well-formed bodies
// yield, and that each kind of malformed body fails with a message saying what is wrong.

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>

#include "http/multipart/form_parts.h"
#include "multipart_test_support.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;
using multipart_test::build_body;
using multipart_test::file_part;
using multipart_test::RawPart;
using multipart_test::text_part;

constexpr std::string_view kBoundary = "XyZbound42";

// Bytes that look like a boundary without being one, CRLFs, NULs and high bytes.
std::string tricky_binary() {
  std::string data("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  data += "\r\n--XyZ\r\n--XyZbound4\r\r\n-\r\n--\r\n\r\n--xyzbound42 \r\n";
  for (int i = 0; i < 512; ++i) data.push_back(static_cast<char>((i * 37 + 11) % 256));
  data += "\r\n--XyZbound4";  // a delimiter prefix right before the real one
  data += "\r";
  return data;
}

bool points_into(std::string_view inner, std::string_view outer) {
  const std::less<const char*> before;
  return !before(inner.data(), outer.data()) &&
         !before(outer.data() + outer.size(), inner.data() + inner.size());
}

TEST(ParseMultipartTest, FieldsAndBinaryFile) {
  const std::string image = tricky_binary();
  const std::string body = build_body(
      kBoundary, {text_part("width", "640"), file_part("file", "cat.png", image, "image/png"),
                  text_part("fit", "cover"), text_part("empty", "")});
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  ASSERT_EQ(parts->size(), 4u);
  EXPECT_EQ((*parts)[0], (FormPart{"width", "", "", "640"}));
  EXPECT_EQ((*parts)[1], (FormPart{"file", "cat.png", "image/png", image}));
  EXPECT_EQ((*parts)[2], (FormPart{"fit", "", "", "cover"}));
  EXPECT_EQ((*parts)[3], (FormPart{"empty", "", "", ""}));
}

TEST(ParseMultipartTest, DataViewsPointIntoTheBody) {
  const std::string body =
      build_body(kBoundary, {text_part("a", "x"), file_part("file", "f", tricky_binary())});
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  for (const FormPart& part : *parts) EXPECT_TRUE(points_into(part.data, body)) << part.name;
  EXPECT_EQ((*parts)[1].data.data(), body.data() + body.find("\x89PNG"));
}

TEST(ParseMultipartTest, PreambleAndEpilogueAreIgnored) {
  const std::string body =
      build_body(kBoundary, {text_part("a", "1")}, "This is a preamble.\r\n--XyZ not it\r\n",
                 "\r\nepilogue\r\n--XyZbound42\r\ngarbage");
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(ParseMultipartTest, BoundaryOnlyCountsAtLineStart) {
  // "--XyZbound42" inside a line of the preamble is not a boundary; the next line is.
  const std::string body = "junk--XyZbound42\r\n--XyZbound42\r\n" +
                           multipart_test::disposition("a") + "\r\nv\r\n--XyZbound42--";
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(ParseMultipartTest, TransportPaddingAfterBoundary) {
  const std::string body =
      "--XyZbound42 \t \r\n" + multipart_test::disposition("a") + "\r\nv\r\n--XyZbound42--  \r\n";
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(ParseMultipartTest, NoPartsAtAll) {
  const auto parts = parse_multipart("--XyZbound42--", kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  EXPECT_TRUE(parts->empty());
}

TEST(ParseMultipartTest, DataEndingInCarriageReturns) {
  const std::string body = build_body(kBoundary, {text_part("a", "x\r\r")});
  const auto parts = parse_multipart(body, kBoundary);  // its views point into `body`
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  EXPECT_EQ((*parts)[0].data, "x\r\r");
}

TEST(ParseMultipartTest, ExactlyMaxParts) {
  std::vector<RawPart> raw;
  for (int i = 0; i < 3; ++i) raw.push_back(text_part("f" + std::to_string(i), "v"));
  const std::string body = build_body(kBoundary, raw);
  const auto parts = parse_multipart(body, kBoundary, {8192, 3});
  ASSERT_TRUE(parts.ok()) << parts.error().public_message;
  EXPECT_EQ(parts->size(), 3u);
}

TEST(ParseMultipartTest, HeadersExactlyAtLimit) {
  const std::string headers = multipart_test::disposition("a");
  const std::string body = build_body(kBoundary, {{headers, "v"}});
  // The limit counts the header lines and the blank line that ends them.
  EXPECT_TRUE(parse_multipart(body, kBoundary, {headers.size() + 2, 32}).ok());
  EXPECT_FALSE(parse_multipart(body, kBoundary, {headers.size() + 1, 32}).ok());
}

struct MalformedCase {
  std::string name;
  std::string body;
  std::string message_part;  // a piece of the public message
  MultipartLimits limits = {};
  std::string boundary = std::string(kBoundary);
};
void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class MalformedBodyTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedBodyTest, FailsWithClearMessage) {
  const MalformedCase& c = GetParam();
  const auto parts = parse_multipart(c.body, c.boundary, c.limits);
  ASSERT_FALSE(parts.ok()) << parts->size() << " parts";
  EXPECT_EQ(parts.error().code, ErrorCode::malformed_request);
  EXPECT_NE(parts.error().public_message.find(c.message_part), std::string::npos)
      << parts.error().public_message;
}

const std::string kOpen = "--XyZbound42\r\n";
const std::string kField = kOpen + multipart_test::disposition("a") + "\r\nvalue";
std::string long_header(std::size_t bytes) {
  return "Content-Disposition: form-data; name=a\r\nX-Pad: " + std::string(bytes, 'p') + "\r\n";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedBodyTest,
    ::testing::Values(
        MalformedCase{"EmptyBody", "", "empty"},
        MalformedCase{"OnlyPreamble", "hello\r\nworld\r\n", "no multipart boundary"},
        MalformedCase{"WrongBoundary", build_body("other", {text_part("a", "1")}),
                      "no multipart boundary"},
        MalformedCase{"UnterminatedPart", kField, "closing boundary is missing"},
        MalformedCase{"CloseDelimiterWithoutCrlfBefore", kField + "--XyZbound42--",
                      "closing boundary is missing"},
        MalformedCase{"MissingFinalBoundary", kField + "\r\n--XyZbound42\r\n",
                      "inside a part's headers"},
        MalformedCase{"EndsRightAfterBoundary", kField + "\r\n--XyZbound42",
                      "without the closing boundary"},
        MalformedCase{"HalfCloseDelimiter", kField + "\r\n--XyZbound42-", "without the closing"},
        MalformedCase{"UnterminatedHeaders", kOpen + multipart_test::disposition("a"),
                      "inside a part's headers"},
        MalformedCase{"JunkAfterBoundary", "--XyZbound42X\r\n", "after a boundary"},
        MalformedCase{"LongerBoundaryInBody", kField + "\r\n--XyZbound421--", "after a boundary"},
        MalformedCase{"BareLfAfterBoundary", "--XyZbound42\n", "after a boundary"},
        MalformedCase{"CrWithoutLfAfterBoundary", "--XyZbound42\rX", "after a boundary"},
        MalformedCase{"DashThenJunk", "--XyZbound42-x", "after a boundary"},
        MalformedCase{"PaddingThenJunk", "--XyZbound42  x\r\n", "after a boundary"},
        MalformedCase{"MissingContentDisposition",
                      build_body(kBoundary, {{"Content-Type: text/plain\r\n", "1"}}),
                      "part 1: a part has no 'Content-Disposition"},
        MalformedCase{"DispositionWithoutName",
                      build_body(kBoundary, {text_part("a", "1"),
                                             {"Content-Disposition: form-data\r\n", "1"}}),
                      "part 2: a part has a Content-Disposition without a form-data name"},
        MalformedCase{"NoHeadersAtAll", build_body(kBoundary, {{"", "1"}}), "Content-Disposition"},
        MalformedCase{"HeaderLineWithBareLf",
                      kOpen + "Content-Disposition: form-data; name=a\n\r\nv\r\n--XyZbound42--",
                      "must end with CRLF"},
        MalformedCase{"HeaderTooLong", build_body(kBoundary, {{long_header(9000), "v"}}),
                      "headers longer than 8192 bytes"},
        MalformedCase{"HeaderTooLongWithoutNewline", kOpen + std::string(100000, 'h'),
                      "headers longer than"},
        MalformedCase{"HeaderOverSmallLimit", build_body(kBoundary, {{long_header(100), "v"}}),
                      "headers longer than 64 bytes", MultipartLimits{64, 32}},
        MalformedCase{
            "TooManyParts",
            build_body(kBoundary, {text_part("a", "1"), text_part("b", "2"), text_part("c", "3")}),
            "more than 2 parts", MultipartLimits{8192, 2}},
        MalformedCase{"EmptyBoundaryArgument", "--\r\n", "boundary", {}, ""},
        MalformedCase{"BoundaryArgumentWithCrlf", "x", "boundary", {}, "a\r\nb"},
        MalformedCase{"BoundaryArgumentTooLong", "x", "boundary", {}, std::string(71, 'b')}),
    [](const ::testing::TestParamInfo<MalformedCase>& param_info) {
      return param_info.param.name;
    });

TEST(ParseMultipartTest, DefaultLimitAllowsThirtyTwoParts) {
  std::vector<RawPart> raw;
  for (int i = 0; i < 33; ++i) raw.push_back(text_part("f" + std::to_string(i), "v"));
  const std::string body = build_body(kBoundary, raw);
  const auto parts = parse_multipart(body, kBoundary);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.error().public_message, "the form has more than 32 parts");
  raw.pop_back();
  const std::string fewer = build_body(kBoundary, raw);
  EXPECT_TRUE(parse_multipart(fewer, kBoundary).ok());
}

// A handler that refuses data, as one that writes an upload to a full disk would.
class RefusingHandler final : public MultipartHandler {
 public:
  core::Status on_part_begin(const PartHeaders&) override { return {}; }
  core::Status on_part_data(std::string_view) override {
    ++data_calls;
    return core::Error::make(ErrorCode::payload_too_large, "too big");
  }
  core::Status on_part_end() override { return {}; }
  int data_calls = 0;
};

TEST(MultipartParserTest, HandlerErrorStopsTheParser) {
  RefusingHandler handler;
  MultipartParser parser(kBoundary, {}, handler);
  const std::string body = build_body(kBoundary, {text_part("a", "1"), text_part("b", "2")});
  const auto status = parser.feed(body);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::payload_too_large);
  EXPECT_EQ(handler.data_calls, 1);
  // Later calls repeat the error without calling the handler again.
  EXPECT_EQ(parser.feed("more").error().code, ErrorCode::payload_too_large);
  EXPECT_EQ(parser.finish().error().code, ErrorCode::payload_too_large);
  EXPECT_EQ(handler.data_calls, 1);
}

TEST(MultipartParserTest, ErrorIsSticky) {
  multipart_test::RecordingHandler handler;
  MultipartParser parser(kBoundary, {}, handler);
  ASSERT_FALSE(parser.feed("--XyZbound42!").ok());
  const auto again = parser.feed(build_body(kBoundary, {text_part("a", "1")}));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().public_message.find("after a boundary"), std::string::npos);
  EXPECT_TRUE(handler.parts.empty());
}

TEST(MultipartParserTest, EventsInOrderWithEndAfterEachPart) {
  const auto outcome = multipart_test::run_whole(
      kBoundary, build_body(kBoundary, {text_part("a", "1"), text_part("b", "")}));
  ASSERT_TRUE(outcome.ok) << outcome.message;
  ASSERT_EQ(outcome.parts.size(), 2u);
  EXPECT_EQ(outcome.parts[0].data, "1");
  EXPECT_EQ(outcome.parts[0].data_events, 1);
  EXPECT_TRUE(outcome.parts[0].ended);
  EXPECT_EQ(outcome.parts[1].data_events, 0);  // an empty part gets no data call
  EXPECT_TRUE(outcome.parts[1].ended);
}

TEST(MultipartParserTest, EpilogueMayArriveInLaterFeeds) {
  multipart_test::RecordingHandler handler;
  MultipartParser parser(kBoundary, {}, handler);
  ASSERT_TRUE(parser.feed(build_body(kBoundary, {text_part("a", "1")}, "", "")).ok());
  EXPECT_TRUE(parser.feed("\r\nanything at all\r\n--XyZbound42\r\n").ok());
  EXPECT_TRUE(parser.finish().ok());
  EXPECT_EQ(handler.parts.size(), 1u);
}

}  // namespace
}  // namespace image_resize::http
