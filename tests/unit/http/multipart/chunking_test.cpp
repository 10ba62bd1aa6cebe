// The incremental parser must give the same result however the body is split into chunks:
// at every position in two, byte by byte, in three, and at random, for good and bad bodies.
// It must also hand out data without copying, and end on every input, however hostile.

#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "multipart_test_support.h"

namespace image_resize::http {
namespace {

using multipart_test::build_body;
using multipart_test::file_part;
using multipart_test::Outcome;
using multipart_test::run_parser;
using multipart_test::run_whole;
using multipart_test::text_part;

constexpr std::string_view kBoundary = "bnd";

std::string binary_with_lookalikes() {
  std::string data = "\r\n--bn\r\n--b\r\r\n-b-d";
  data += std::string("\0\xff\r\n\r\n--\r", 9);
  data += "\r\n--bnX";  // a delimiter but for its last byte
  return data;
}

struct ChunkCase {
  std::string name;
  std::string body;
  bool valid;  // whether the whole body parses
  MultipartLimits limits = {};
};
void PrintTo(const ChunkCase& c, std::ostream* os) { *os << c.name; }

std::vector<ChunkCase> chunk_cases() {
  const std::string field = "--bnd\r\n" + multipart_test::disposition("a") + "\r\nvalue";
  return {
      {"FieldsAndFile",
       build_body(kBoundary,
                  {text_part("width", "12"), file_part("file", "x.bin", binary_with_lookalikes()),
                   text_part("e", "")},
                  "preamble\r\n--bn\r\n", "\r\nepilogue"),
       true},
      {"DataEndsInDelimiterPrefix", build_body(kBoundary, {text_part("a", "x\r\n--bn")}), true},
      {"DataIsCarriageReturns", build_body(kBoundary, {text_part("a", "\r\r\r\n\r")}), true},
      {"Padding", "--bnd \t\r\n" + multipart_test::disposition("a") + "\r\nv\r\n--bnd--", true},
      {"NoParts", "--bnd--", true},
      {"EmptyBody", "", false},
      {"OnlyPreamble", "just text\r\n--bn", false},
      {"MissingFinalBoundary", field + "\r\n--bnd\r\n", false},
      {"UnterminatedPart", field + "\r\n--bn", false},
      {"JunkAfterBoundary", field + "\r\n--bndX--", false},
      {"MissingDisposition", build_body(kBoundary, {{"Content-Type: a/b\r\n", "v"}}), false},
      {"HeaderTooLong",
       build_body(kBoundary, {{multipart_test::disposition("a") + "X: 12345\r\n", "v"}}), false,
       MultipartLimits{48, 32}},
      {"TooManyParts", build_body(kBoundary, {text_part("a", "1"), text_part("b", "2")}), false,
       MultipartLimits{8192, 1}},
  };
}

class ChunkingTest : public ::testing::TestWithParam<ChunkCase> {};

TEST_P(ChunkingTest, EveryTwoWaySplitGivesTheSameOutcome) {
  const ChunkCase& c = GetParam();
  const std::string_view body = c.body;
  const Outcome whole = run_whole(kBoundary, body, c.limits);
  ASSERT_EQ(whole.ok, c.valid) << whole.message;
  for (std::size_t split = 0; split <= body.size(); ++split) {
    int outside = 0;
    const Outcome split_outcome =
        run_parser(kBoundary, {body.substr(0, split), body.substr(split)}, c.limits, &outside);
    ASSERT_EQ(split_outcome, whole) << "split at " << split;
    ASSERT_EQ(outside, 0) << "split at " << split;
  }
}

TEST_P(ChunkingTest, ByteByByteGivesTheSameOutcome) {
  const ChunkCase& c = GetParam();
  const std::string_view body = c.body;
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < body.size(); ++i) bytes.push_back(body.substr(i, 1));
  int outside = 0;
  EXPECT_EQ(run_parser(kBoundary, bytes, c.limits, &outside), run_whole(kBoundary, body, c.limits));
  EXPECT_EQ(outside, 0);
}

TEST_P(ChunkingTest, EveryThreeWaySplitGivesTheSameOutcome) {
  const ChunkCase& c = GetParam();
  const std::string_view body = c.body;
  if (body.size() > 1000) GTEST_SKIP() << "cubic in the body size";
  const Outcome whole = run_whole(kBoundary, body, c.limits);
  for (std::size_t first = 0; first <= body.size(); ++first) {
    for (std::size_t second = first; second <= body.size(); ++second) {
      const Outcome outcome = run_parser(
          kBoundary,
          {body.substr(0, first), body.substr(first, second - first), body.substr(second)},
          c.limits);
      ASSERT_EQ(outcome, whole) << "splits at " << first << " and " << second;
    }
  }
}

TEST_P(ChunkingTest, EmptyChunksChangeNothing) {
  const ChunkCase& c = GetParam();
  const std::string_view body = c.body;
  const std::size_t half = body.size() / 2;
  EXPECT_EQ(
      run_parser(kBoundary, {"", body.substr(0, half), "", "", body.substr(half), ""}, c.limits),
      run_whole(kBoundary, body, c.limits));
}

INSTANTIATE_TEST_SUITE_P(Bodies, ChunkingTest, ::testing::ValuesIn(chunk_cases()),
                         [](const ::testing::TestParamInfo<ChunkCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(ChunkingTest, WholeBodyPartDataArrivesAsOneSpan) {
  const std::string body =
      build_body(kBoundary, {file_part("file", "x", binary_with_lookalikes())});
  const Outcome outcome = run_whole(kBoundary, body);
  ASSERT_TRUE(outcome.ok) << outcome.message;
  EXPECT_EQ(outcome.parts[0].data, binary_with_lookalikes());
  EXPECT_EQ(outcome.parts[0].data_events, 1);
}

// Random mutations of a valid body, fed in random chunks: every run must end (the test would
// hang otherwise), in ok or malformed_request, with the same outcome as one whole feed.
TEST(ChunkingTest, HostileBodiesAlwaysEndTheSameWay) {
  std::mt19937 random(20240601);  // fixed seed: failures are reproducible
  const std::string base = build_body(
      kBoundary, {text_part("w", "1"), file_part("file", "f", binary_with_lookalikes())});
  const std::string alphabet(
      "\r\n-bnd \0\xff"
      "a:;=\"",
      14);
  int ok_runs = 0;
  for (int run = 0; run < 3000; ++run) {
    std::string body = base;
    const int edits = static_cast<int>(random() % 6);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = random() % body.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: body[at] = c; break;
        case 1: body.insert(at, 1, c); break;
        default: body.erase(at, 1 + random() % 8); break;
      }
    }
    std::vector<std::string_view> chunks;
    std::string_view rest = body;
    while (!rest.empty()) {
      const std::size_t size = 1 + random() % 24;
      chunks.push_back(rest.substr(0, size));
      rest.remove_prefix(std::min(size, rest.size()));
    }
    const MultipartLimits limits{256, 4};
    const Outcome whole = run_whole(kBoundary, body, limits);
    ASSERT_EQ(run_parser(kBoundary, chunks, limits), whole) << "run " << run;
    if (whole.ok) {
      ++ok_runs;
    } else {
      ASSERT_EQ(whole.code, core::ErrorCode::malformed_request) << whole.message;
    }
  }
  EXPECT_GT(ok_runs, 0);  // some mutations land in data and stay valid
  EXPECT_LT(ok_runs, 3000);
}

}  // namespace
}  // namespace image_resize::http
