#include "http/task_json.h"

#include <gtest/gtest.h>

#include "http/messages.h"

namespace image_resize::http {
namespace {

core::TaskRecord sample_task(core::TaskState state) {
  const auto id = *core::TaskId::parse("c4ac4a34-40a2-4750-a158-767c2c68164d");
  core::ResizeSpec spec;
  spec.width = 100;
  auto task =
      core::TaskRecord::pending(id, spec, core::ImageFormat::png, core::from_unix_ms(1795823400123),
                                core::from_unix_ms(1795823400123 + 1000));
  task.state = state;
  task.output = core::TaskOutput{.width = 100,
                                 .height = 50,
                                 .format = core::ImageFormat::png,
                                 .bytes = 1234,
                                 .etag = "\"etag\""};
  task.failure = core::TaskFailure{core::ErrorCode::decode_failed, "bad"};
  return task;
}

TEST(TaskJson, AcceptedBodyHasTheOriginalKeys) {
  const auto id = *core::TaskId::parse("c4ac4a34-40a2-4750-a158-767c2c68164d");
  const auto body = accepted_json(id);
  EXPECT_EQ(body["status"], "accepted");
  EXPECT_EQ(body["message"], "Upload complete");
  EXPECT_EQ(body["task_id"], id.str());
  EXPECT_EQ(body["status_url"], "/api/v1/status/" + id.str());
  EXPECT_EQ(body["result_url"], "/api/v1/images/result/" + id.str());
}

TEST(TaskJson, PendingHasNoResultNorError) {
  const auto body = task_status_json(sample_task(core::TaskState::pending));
  EXPECT_EQ(body["status"], "PENDING");
  EXPECT_EQ(body["created_at"], "2026-11-27T23:50:00.123Z");
  EXPECT_TRUE(body["started_at"].is_null());
  EXPECT_TRUE(body["finished_at"].is_null());
  EXPECT_EQ(body["request"]["width"], 100);
  EXPECT_TRUE(body["request"]["height"].is_null());
  EXPECT_EQ(body["request"]["fit"], "fill");
  EXPECT_EQ(body["request"]["format"], "same");
  EXPECT_FALSE(body.contains("result"));
  EXPECT_FALSE(body.contains("error"));
}

TEST(TaskJson, RequestEchoesGravityDprAndTheEncodingFlags) {
  core::TaskRecord task = sample_task(core::TaskState::pending);
  EXPECT_EQ(task_status_json(task)["request"]["gravity"], "centre");
  EXPECT_EQ(task_status_json(task)["request"]["dpr"], 1);
  task.spec.gravity = core::Gravity::attention;
  task.spec.dpr = 2;
  task.spec.progressive = true;
  task.spec.lossless = true;
  const auto request = task_status_json(task)["request"];
  EXPECT_EQ(request["gravity"], "attention");
  EXPECT_EQ(request["dpr"], 2);
  EXPECT_EQ(request["progressive"], true);
  EXPECT_EQ(request["lossless"], true);
}

TEST(TaskJson, SuccessHasResultOnly) {
  const auto body = task_status_json(sample_task(core::TaskState::success));
  ASSERT_TRUE(body.contains("result"));
  EXPECT_EQ(body["result"]["width"], 100);
  EXPECT_EQ(body["result"]["height"], 50);
  EXPECT_EQ(body["result"]["format"], "png");
  EXPECT_EQ(body["result"]["bytes"], 1234);
  EXPECT_EQ(body["result"]["url"], "/api/v1/images/result/c4ac4a34-40a2-4750-a158-767c2c68164d");
  EXPECT_FALSE(body.contains("error"));
  // Results stored before placeholders existed have none.
  EXPECT_FALSE(body["result"].contains("placeholder"));
}

TEST(TaskJson, SuccessGivesThePlaceholder) {
  core::TaskRecord task = sample_task(core::TaskState::success);
  task.output->blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";
  task.output->dominant_colour = "#a1b2c3";
  const auto body = task_status_json(task);
  EXPECT_EQ(body["result"]["placeholder"],
            (nlohmann::json{{"blurhash", "LEHV6nWB2yk8pyo0adR*.7kCMdnj"},
                            {"dominant_color", "#a1b2c3"}}));
}

TEST(TaskJson, RequestEchoesStripCropAndForAutoTheAcceptedFormats) {
  core::TaskRecord task = sample_task(core::TaskState::pending);
  auto request = task_status_json(task)["request"];
  EXPECT_EQ(request["strip"], true);
  EXPECT_TRUE(request["crop"].is_null());
  EXPECT_FALSE(request.contains("accepts"));
  task.spec.strip = false;
  task.spec.crop = core::CropRect{1, 2, 30, 40};
  task.spec.format = core::OutputFormat::automatic;
  task.spec.accepts = {.webp = true};
  request = task_status_json(task)["request"];
  EXPECT_EQ(request["strip"], false);
  EXPECT_EQ(request["crop"], "1,2,30,40");
  EXPECT_EQ(request["format"], "auto");
  EXPECT_EQ(request["accepts"], nlohmann::json::array({"webp"}));
}

TEST(TaskJson, FailureHasErrorOnly) {
  const auto body = task_status_json(sample_task(core::TaskState::failure));
  ASSERT_TRUE(body.contains("error"));
  EXPECT_EQ(body["error"]["code"], "decode_failed");
  EXPECT_EQ(body["error"]["message"], "bad");
  EXPECT_FALSE(body.contains("result"));
}

TEST(Messages, ErrorResponseShapeAndRetryAfter) {
  const Response not_found =
      error_response(core::Error::make(core::ErrorCode::task_not_found, "gone", "secret detail"));
  EXPECT_EQ(not_found.result_int(), 404);
  EXPECT_EQ(not_found[boost::beast::http::field::content_type], "application/json");
  const auto body = nlohmann::json::parse(not_found.body());
  EXPECT_EQ(body["result"], "error");
  EXPECT_EQ(body["message"], "gone");
  EXPECT_EQ(body["code"], "task_not_found");
  EXPECT_EQ(not_found.body().find("secret"), std::string::npos);
  const Response busy = error_response(core::Error::make(core::ErrorCode::queue_full, "busy"));
  EXPECT_EQ(busy.result_int(), 503);
  EXPECT_FALSE(busy[boost::beast::http::field::retry_after].empty());
}

TEST(Messages, CodesBetweenStoresAreAnsweredAsInternal) {
  for (const core::ErrorCode code : {core::ErrorCode::result_gone, core::ErrorCode::blob_damaged}) {
    const Response answered =
        error_response(core::Error::make(code, "A stored image is damaged.", "s3: detail"));
    EXPECT_EQ(answered.result_int(), 500) << core::to_string(code);
    const auto body = nlohmann::json::parse(answered.body());
    EXPECT_EQ(body["code"], "internal") << core::to_string(code);
    EXPECT_EQ(answered.body().find("s3: detail"), std::string::npos);
  }
}

}  // namespace
}  // namespace image_resize::http
