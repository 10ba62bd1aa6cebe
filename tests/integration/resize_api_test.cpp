// POST /api/v1/images/resize: the 202 answer of docs/API.md to the letter, every accepted input
// format, and the type taken from the bytes rather than from the name or part header.
#include <ostream>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class ResizeApi : public SharedServerTest {};

TEST_F(ResizeApi, AcceptedAnswerHasTheOriginalKeysAndLocation) {
  const HttpResponse response =
      submit(client(), fixture("photo.jpg"), {{"width", "100"}, {"height", "80"}});
  ASSERT_EQ(response.status, 202) << response;
  EXPECT_EQ(response.header("Content-Type").value_or("").rfind("application/json", 0), 0U)
      << response;
  const auto json = response.json();
  ASSERT_TRUE(json.is_object()) << response;
  EXPECT_EQ(json.value("status", ""), "accepted");
  EXPECT_EQ(json.value("message", ""), "Upload complete");
  const std::string id = json.value("task_id", "");
  EXPECT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(json.value("status_url", ""), std::string(kStatusPath) + id);
  EXPECT_EQ(json.value("result_url", ""), std::string(kResultPath) + id);
  EXPECT_EQ(response.header("Location").value_or(""), std::string(kStatusPath) + id);
}

TEST_F(ResizeApi, EveryUploadGetsItsOwnTaskId) {
  const std::string image = fixture("photo.jpg");
  const std::string first = task_id_of(submit(client(), image, {{"width", "10"}}));
  const std::string second = task_id_of(submit(client(), image, {{"width", "10"}}));
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_NE(first, second);
}

// One input format: the fixture, the format "same" keeps, and its Content-Type.
struct InputCase {
  std::string name;
  std::string file;
  std::string same_format;  // what format=same writes for it
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const InputCase& c, std::ostream* out) { *out << c.name; }

class InputFormats : public SharedServerTest, public ::testing::WithParamInterface<InputCase> {};

TEST_P(InputFormats, IsAcceptedAndResizedKeepingItsFormat) {
  const InputCase& input = GetParam();
  const FinishedTask task =
      run_task(client(), fixture(input.file), {{"width", "60"}, {"height", "40"}});
  ASSERT_FALSE(task.id.empty());
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["result"].value("format", ""), input.same_format);
  const HttpResponse result = client().get(std::string(kResultPath) + task.id);
  ASSERT_EQ(result.status, 200) << result;
  EXPECT_EQ(sniff_format(result.body), input.same_format);
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 60);
  EXPECT_EQ(info->height, 40);
}

INSTANTIATE_TEST_SUITE_P(ResizeApi, InputFormats,
                         ::testing::Values(InputCase{"jpeg", "photo.jpg", "jpeg"},
                                           InputCase{"progressive_jpeg", "progressive.jpg", "jpeg"},
                                           InputCase{"cmyk_jpeg", "cmyk.jpg", "jpeg"},
                                           InputCase{"png_with_alpha", "alpha.png", "png"},
                                           InputCase{"png_16_bit", "rgb16.png", "png"},
                                           InputCase{"webp", "photo.webp", "webp"},
                                           InputCase{"gif", "photo.gif", "gif"},
                                           InputCase{"animated_gif", "animated.gif", "gif"},
                                           InputCase{"animated_webp", "animated.webp", "webp"},
                                           InputCase{"tiff", "photo.tif", "tiff"},
                                           InputCase{"heic", "photo.heic", "heic"},
                                           InputCase{"avif", "photo.avif", "avif"}),
                         [](const auto& test) { return test.param.name; });

TEST_F(ResizeApi, TypeComesFromTheBytesNotTheNameOrPartHeader) {
  // A PNG that claims to be a JPEG twice over.
  const MultipartBody form =
      resize_form(fixture("alpha.png"), {{"width", "75"}}, "holiday.jpg", "image/jpeg");
  const HttpResponse accepted = client().post_multipart(kResizePath, form);
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  const auto status = wait_for_task(client(), id);
  ASSERT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(status["result"].value("format", ""), "png");
  const HttpResponse result = client().get(std::string(kResultPath) + id);
  ASSERT_EQ(result.status, 200) << result;
  EXPECT_EQ(result.header("Content-Type").value_or(""), "image/png");
  EXPECT_EQ(sniff_format(result.body), "png");
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->has_alpha) << "the PNG's transparency was lost";
}

TEST_F(ResizeApi, FieldsMayComeBeforeTheFile) {
  MultipartBody form;
  form.field("width", "42").field("format", "png");
  form.file("file", "photo.jpg", "image/jpeg", fixture("photo.jpg"));
  const HttpResponse accepted = client().post_multipart(kResizePath, form);
  ASSERT_EQ(accepted.status, 202) << accepted;
  const auto status = wait_for_task(client(), task_id_of(accepted));
  EXPECT_EQ(status["result"].value("width", 0), 42) << status.dump();
  EXPECT_EQ(status["result"].value("format", ""), "png") << status.dump();
}

TEST_F(ResizeApi, TheLargestAllowedSizeIsAccepted) {
  const std::string bytes =
      resize(client(), fixture("photo.jpg"), {{"width", "10000"}, {"height", "1"}});
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 10000);
  EXPECT_EQ(info->height, 1);
}

class Priorities : public SharedServerTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(Priorities, AreAcceptedAndRun) {
  const FinishedTask task =
      run_task(client(), fixture("photo.jpg"), {{"width", "30"}, {"priority", GetParam()}});
  ASSERT_FALSE(task.id.empty());
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  const auto& request = task.status["request"];
  if (request.contains("priority")) {
    EXPECT_EQ(request["priority"], GetParam());
  }
}

INSTANTIATE_TEST_SUITE_P(ResizeApi, Priorities, ::testing::Values("high", "normal", "low"));

}  // namespace
}  // namespace image_resize::integration
