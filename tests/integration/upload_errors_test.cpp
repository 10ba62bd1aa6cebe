// Bad uploads to POST /api/v1/images/resize, one table row each: the exact status, the JSON
// error shape {"result":"error","message":...,"code":...}, and a server still alive afterwards
// (SharedServerTest checks /healthz after every test).
#include <ostream>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

struct BadUpload {
  std::string name;
  std::string content_type;
  std::string body;
  int status;
  std::string code;
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const BadUpload& c, std::ostream* out) { *out << c.name; }

// A well-formed form around `image`, with `fields`.
BadUpload form_case(std::string name, const std::string& image, const Fields& fields, int status,
                    std::string code) {
  const MultipartBody form = resize_form(image, fields);
  return {std::move(name), form.content_type(), form.body(), status, std::move(code)};
}

BadUpload size_case(std::string name, Fields fields) {
  return form_case(std::move(name), fixture("photo.jpg"), fields, 422, "invalid_size");
}

BadUpload option_case(std::string name, std::string field, std::string value, std::string code) {
  return form_case(std::move(name), fixture("photo.jpg"),
                   {{"width", "10"}, {std::move(field), std::move(value)}}, 422, std::move(code));
}

BadUpload image_case(std::string name, const std::string& file, std::string code) {
  return form_case(std::move(name), fixture(file), {{"width", "10"}}, 422, std::move(code));
}

std::vector<BadUpload> bad_uploads() {
  const std::string boundary = "xyzzy";
  const std::string fields_only =
      "--xyzzy\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n10\r\n--xyzzy--\r\n";
  const std::string empty_file =
      "--xyzzy\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\r\n"
      "--xyzzy\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n10\r\n--xyzzy--\r\n";
  const std::string unterminated =
      "--xyzzy\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n10\r\n";
  return {
      {"json_body", "application/json", R"({"width": 10})", 415, "unsupported_media_type"},
      {"text_body", "text/plain", "hello", 415, "unsupported_media_type"},
      {"urlencoded_body", "application/x-www-form-urlencoded", "width=10", 415,
       "unsupported_media_type"},
      {"multipart_without_boundary", "multipart/form-data", fields_only, 400, "malformed_request"},
      {"multipart_garbage", "multipart/form-data; boundary=" + boundary, "this is not multipart",
       400, "malformed_request"},
      {"multipart_unterminated", "multipart/form-data; boundary=" + boundary, unterminated, 400,
       "malformed_request"},
      {"missing_file", "multipart/form-data; boundary=" + boundary, fields_only, 422, "no_file"},
      {"empty_file", "multipart/form-data; boundary=" + boundary, empty_file, 422, "no_file"},
      size_case("width_zero", {{"width", "0"}}),
      size_case("width_negative", {{"width", "-1"}}),
      size_case("width_text", {{"width", "abc"}}),
      size_case("width_fraction", {{"width", "1.5"}}),
      size_case("width_over_max", {{"width", "10001"}}),
      size_case("width_huge", {{"width", "99999999999999999999"}}),
      size_case("width_empty", {{"width", ""}}),
      size_case("height_zero", {{"width", "10"}, {"height", "0"}}),
      size_case("height_over_max", {{"height", "10001"}}),
      size_case("both_missing", {}),
      option_case("fit_unknown", "fit", "stretch", "invalid_fit"),
      option_case("format_unknown", "format", "bmp", "invalid_format"),
      option_case("quality_zero", "quality", "0", "invalid_quality"),
      option_case("quality_over_100", "quality", "101", "invalid_quality"),
      option_case("quality_text", "quality", "high", "invalid_quality"),
      option_case("priority_unknown", "priority", "urgent", "invalid_priority"),
      option_case("background_name", "background", "red", "invalid_background"),
      option_case("background_short", "background", "#12345", "invalid_background"),
      option_case("background_not_hex", "background", "#gg0000", "invalid_background"),
      image_case("random_bytes", "random.bin", "unsupported_image"),
      image_case("svg", "vector.svg", "unsupported_image"),
      image_case("pdf", "document.pdf", "unsupported_image"),
      image_case("bmp_via_untrusted_loader", "tiny.bmp", "unsupported_image"),
      image_case("decompression_bomb", "bomb.png", "image_too_large"),
  };
}

class UploadErrors : public SharedServerTest, public ::testing::WithParamInterface<BadUpload> {};

TEST_P(UploadErrors, AreAnsweredWithTheirStatusAndCode) {
  const BadUpload& c = GetParam();
  const HttpResponse response = client().post(kResizePath, c.content_type, c.body);
  EXPECT_TRUE(is_json_error(response, c.status, c.code));
  EXPECT_FALSE(response.has_header("Location")) << response;
}

INSTANTIATE_TEST_SUITE_P(UploadErrors, UploadErrors, ::testing::ValuesIn(bad_uploads()),
                         [](const auto& test) { return test.param.name; });

class UploadRejections : public SharedServerTest {};

TEST_F(UploadRejections, NoContentTypeIsRejected) {
  const HttpResponse response = client().request("POST", kResizePath, {}, "width=10");
  EXPECT_TRUE(response.status == 400 || response.status == 415) << response;
  EXPECT_TRUE(is_json_error(response, response.status, ""));
}

TEST_F(UploadRejections, RejectedUploadsLeaveNoTaskBehind) {
  const std::size_t accepted_before = server().count_in_log("task accepted");
  for (const char* file : {"random.bin", "bomb.png"}) {
    const HttpResponse response = submit(client(), fixture(file), {{"width", "10"}});
    EXPECT_EQ(response.status, 422) << response;
  }
  EXPECT_EQ(server().count_in_log("task accepted"), accepted_before) << server().log_tail();
}

TEST_F(UploadRejections, TruncatedImagesAreAcceptedAndFailToDecode) {
  for (const char* file : {"truncated.jpg", "truncated.png"}) {
    SCOPED_TRACE(file);
    const FinishedTask task = run_task(client(), fixture(file), {{"width", "20"}});
    EXPECT_EQ(task.status.value("status", ""), "FAILURE") << task.status.dump();
    EXPECT_EQ(task.status["error"].value("code", ""), "decode_failed") << task.status.dump();
  }
}

}  // namespace
}  // namespace image_resize::integration

namespace image_resize::integration {
namespace {

// --max-interlaced-pixels: inputs libvips must decode whole get their own, lower limit.
class InterlacedLimit : public SharedServerTest {
 public:
  // progressive.jpg and photo.jpg are both 300x200 = 60,000 pixels.
  static void SetUpTestSuite() { start_with({"--max-interlaced-pixels", "59999"}); }
};

TEST_F(InterlacedLimit, AProgressiveJpegOverItIs422WhileABaselineOneOfTheSameSizeIsAccepted) {
  const HttpResponse progressive = submit(client(), fixture("progressive.jpg"), {{"width", "10"}});
  EXPECT_TRUE(is_json_error(progressive, 422, "image_too_large"));
  EXPECT_NE(progressive.body.find("progressive JPEG"), std::string::npos) << progressive;
  const FinishedTask baseline = run_task(client(), fixture("photo.jpg"), {{"width", "10"}});
  EXPECT_EQ(baseline.status.value("status", ""), "SUCCESS") << baseline.status.dump();
}

}  // namespace
}  // namespace image_resize::integration
