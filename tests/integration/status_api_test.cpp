// GET /api/v1/status/<id>: the keys of docs/API.md for SUCCESS and FAILURE, ?wait long-polling
// (answers when the task ends, not when the wait runs out), and 404 for unknown ids.
#include <chrono>
#include <ostream>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using std::chrono::milliseconds;

class StatusApi : public SharedServerTest {};

TEST_F(StatusApi, SuccessHasTimesAttemptsRequestAndResult) {
  const FinishedTask task =
      run_task(client(), fixture("photo.jpg"),
               {{"width", "120"}, {"height", "90"}, {"fit", "inside"}, {"format", "png"}});
  ASSERT_FALSE(task.id.empty());
  const HttpResponse response = client().get(std::string(kStatusPath) + task.id);
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_EQ(response.header("Content-Type").value_or("").rfind("application/json", 0), 0U);
  const auto s = response.json();
  ASSERT_TRUE(s.is_object()) << response;
  EXPECT_EQ(s.value("task_id", ""), task.id);
  EXPECT_EQ(s.value("status", ""), "SUCCESS");
  for (const char* key : {"created_at", "started_at", "finished_at"}) {
    ASSERT_TRUE(s.contains(key) && s[key].is_string()) << key << " in " << s.dump();
    EXPECT_TRUE(is_iso8601_millis_utc(s[key].get<std::string>())) << key << " = " << s[key];
  }
  // Same format, so the strings order as the times do.
  EXPECT_LE(s["created_at"].get<std::string>(), s["started_at"].get<std::string>());
  EXPECT_LE(s["started_at"].get<std::string>(), s["finished_at"].get<std::string>());
  EXPECT_EQ(s.value("attempts", 0), 1);

  ASSERT_TRUE(s.contains("request") && s["request"].is_object()) << s.dump();
  EXPECT_EQ(s["request"].value("width", 0), 120);
  EXPECT_EQ(s["request"].value("height", 0), 90);
  EXPECT_EQ(s["request"].value("fit", ""), "inside");
  EXPECT_EQ(s["request"].value("format", ""), "png");

  ASSERT_TRUE(s.contains("result") && s["result"].is_object()) << s.dump();
  const auto& result = s["result"];
  EXPECT_EQ(result.value("width", 0), 120);
  EXPECT_EQ(result.value("height", 0), 80);  // 300x200 inside 120x90
  EXPECT_EQ(result.value("format", ""), "png");
  EXPECT_EQ(result.value("url", ""), std::string(kResultPath) + task.id);
  EXPECT_FALSE(s.contains("error")) << s.dump();

  const HttpResponse download = client().get(result.value("url", ""));
  ASSERT_EQ(download.status, 200) << download;
  EXPECT_EQ(result.value("bytes", std::size_t{0}), download.body.size());
}

TEST_F(StatusApi, RequestDefaultsAreSpelledOut) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "40"}});
  const auto& request = task.status["request"];
  EXPECT_EQ(request.value("width", 0), 40);
  EXPECT_EQ(request.value("fit", ""), "fill");
  EXPECT_EQ(request.value("format", ""), "same");
}

TEST_F(StatusApi, DecodeFailureHasAnErrorAndNoResult) {
  for (const char* file : {"truncated.jpg", "truncated.png"}) {
    SCOPED_TRACE(file);
    const FinishedTask task = run_task(client(), fixture(file), {{"width", "50"}});
    ASSERT_FALSE(task.id.empty()) << "a truncated file should be accepted and fail later";
    const auto& s = task.status;
    EXPECT_EQ(s.value("status", ""), "FAILURE") << s.dump();
    ASSERT_TRUE(s.contains("error") && s["error"].is_object()) << s.dump();
    EXPECT_EQ(s["error"].value("code", ""), "decode_failed") << s.dump();
    EXPECT_FALSE(s["error"].value("message", "").empty()) << s.dump();
    EXPECT_FALSE(s.contains("result")) << s.dump();
    ASSERT_TRUE(s.contains("finished_at") && s["finished_at"].is_string()) << s.dump();
    EXPECT_TRUE(is_iso8601_millis_utc(s["finished_at"].get<std::string>()));
  }
}

TEST_F(StatusApi, WaitAnswersAsSoonAsTheTaskEnds) {
  const std::string id = task_id_of(submit(client(), fixture("photo.jpg"), {{"width", "64"}}));
  ASSERT_FALSE(id.empty());
  const HttpResponse waited = client().get(std::string(kStatusPath) + id + "?wait=10");
  ASSERT_EQ(waited.status, 200) << waited;
  EXPECT_EQ(waited.json().value("status", ""), "SUCCESS") << waited;
  EXPECT_LT(waited.elapsed, milliseconds(5000))
      << "the wait ran out instead of ending with the task";
}

TEST_F(StatusApi, WaitOnAFinishedTaskAnswersAtOnce) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "64"}});
  ASSERT_FALSE(task.id.empty());
  const HttpResponse waited = client().get(std::string(kStatusPath) + task.id + "?wait=30");
  ASSERT_EQ(waited.status, 200) << waited;
  EXPECT_EQ(waited.json().value("status", ""), "SUCCESS");
  EXPECT_LT(waited.elapsed, milliseconds(1000));
}

TEST_F(StatusApi, WaitZeroAnswersAtOnce) {
  const std::string id = task_id_of(submit(client(), fixture("photo.jpg"), {{"width", "64"}}));
  ASSERT_FALSE(id.empty());
  const HttpResponse response = client().get(std::string(kStatusPath) + id + "?wait=0");
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_LT(response.elapsed, milliseconds(1000));
}

class BadWait : public SharedServerTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(BadWait, IsABadRequest) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "16"}});
  ASSERT_FALSE(task.id.empty());
  const HttpResponse response =
      client().get(std::string(kStatusPath) + task.id + "?wait=" + GetParam());
  EXPECT_TRUE(is_json_error(response, 400, "")) << "wait=" << GetParam();
}

INSTANTIATE_TEST_SUITE_P(StatusApi, BadWait,
                         ::testing::Values("abc", "31", "-1", "1.5", "99999999999999999999"));

struct UnknownCase {
  std::string name;
  std::string id;
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const UnknownCase& c, std::ostream* out) { *out << c.name; }

class UnknownTask : public SharedServerTest, public ::testing::WithParamInterface<UnknownCase> {};

TEST_P(UnknownTask, IsNotFound) {
  const std::string path = std::string(kStatusPath) + GetParam().id;
  EXPECT_TRUE(is_json_error(client().get(path), 404, "task_not_found"));
  const HttpResponse waited = client().get(path + "?wait=5");
  EXPECT_TRUE(is_json_error(waited, 404, "task_not_found"));
  EXPECT_LT(waited.elapsed, milliseconds(1000)) << "an unknown task should not be waited for";
}

INSTANTIATE_TEST_SUITE_P(
    StatusApi, UnknownTask,
    ::testing::Values(UnknownCase{"random_uuid", "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"},
                      UnknownCase{"nil_uuid", "00000000-0000-0000-0000-000000000000"},
                      UnknownCase{"not_a_uuid", "not-a-uuid"},
                      UnknownCase{"uuid_with_junk", "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6bxx"},
                      UnknownCase{"path_traversal", "..%2F..%2Ftasks.db"}),
    [](const auto& test) { return test.param.name; });

}  // namespace
}  // namespace image_resize::integration
