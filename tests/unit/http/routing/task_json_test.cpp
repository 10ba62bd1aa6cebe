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
  task.output = core::TaskOutput{100, 50, core::ImageFormat::png, 1234, "\"etag\""};
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

}  // namespace
}  // namespace image_resize::http
