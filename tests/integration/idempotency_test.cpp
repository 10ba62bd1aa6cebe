// Idempotency-Key (issue #20) with every flag at its default: a retry of an upload with the same
// key gets the first answer (the same task or batch), whatever multipart boundary it picks, and
// nothing is stored or resized again; the same key for another upload is 422; requests racing
// with one key make one task; and a server SIGKILLed after storing an upload but before
// answering gives the retry the id it never sent (the fault-injecting build dies at that point).
#include <future>
#include <set>
#include <thread>

#include "fault_hooks/fault_markers.h"
#include "integration/batch_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

HttpResponse post_with_key(HttpClient& client, const MultipartBody& form, std::string_view key) {
  return client.request(
      "POST", kResizePath,
      {{"Content-Type", form.content_type()}, {"Idempotency-Key", std::string(key)}}, form.body());
}

// The same upload as a client's retry would send it: the same parts under a new boundary.
MultipartBody photo_form(std::string_view boundary, std::string_view width = "64") {
  MultipartBody form{std::string(boundary)};
  form.file("file", "photo.jpg", "image/jpeg", fixture("photo.jpg"));
  form.field("width", width);
  return form;
}

class Idempotency : public SharedServerTest {};

TEST_F(Idempotency, ARetryWithTheKeyGetsTheFirstAnswerAndNoSecondTask) {
  const std::size_t accepted_before = server().count_in_log("task accepted");
  const HttpResponse first = post_with_key(client(), photo_form("first-boundary-1a2b"), "retry-1");
  ASSERT_EQ(first.status, 202) << first;
  EXPECT_FALSE(first.has_header("Idempotent-Replayed"));

  const HttpResponse retry = post_with_key(client(), photo_form("retry-boundary-9z8y"), "retry-1");

  ASSERT_EQ(retry.status, 202) << retry;
  EXPECT_EQ(retry.json(), first.json());
  EXPECT_EQ(retry.header("Location"), first.header("Location"));
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  const nlohmann::json done = wait_for_task(client(), task_id_of(first));
  EXPECT_EQ(done.value("status", ""), "SUCCESS") << done.dump();
  EXPECT_EQ(server().count_in_log("task accepted") - accepted_before, 1u) << server().log_tail();
  // Still the same answer once the task is done.
  EXPECT_EQ(post_with_key(client(), photo_form("third"), "retry-1").json(), first.json());
}

TEST_F(Idempotency, TheKeyForAnotherUploadIs422AndStoresNothing) {
  const HttpResponse first = post_with_key(client(), photo_form("b1"), "mismatch-1");
  ASSERT_EQ(first.status, 202) << first;
  const std::size_t accepted_before = server().count_in_log("task accepted");

  const HttpResponse other = post_with_key(client(), photo_form("b2", "65"), "mismatch-1");

  EXPECT_TRUE(is_json_error(other, 422, "idempotency_mismatch")) << other;
  EXPECT_EQ(server().count_in_log("task accepted"), accepted_before);
  // A new key is a new upload.
  const HttpResponse fresh = post_with_key(client(), photo_form("b3", "65"), "mismatch-2");
  ASSERT_EQ(fresh.status, 202) << fresh;
  EXPECT_NE(task_id_of(fresh), task_id_of(first));
}

TEST_F(Idempotency, ABadKeyIs422) {
  const std::string too_long(256, 'k');
  for (const std::string& key : {std::string(), too_long, std::string("caf\xc3\xa9")}) {
    const HttpResponse refused = post_with_key(client(), photo_form("b"), key);
    EXPECT_TRUE(is_json_error(refused, 422, "invalid_idempotency_key")) << refused;
  }
  const HttpResponse longest = post_with_key(client(), photo_form("b"), std::string(255, 'k'));
  EXPECT_EQ(longest.status, 202) << longest;
}

TEST_F(Idempotency, RequestsRacingWithOneKeyMakeOneTask) {
  const std::size_t accepted_before = server().count_in_log("task accepted");
  std::vector<std::future<HttpResponse>> racing;
  for (int i = 0; i < 6; ++i) {
    racing.push_back(std::async(std::launch::async, [&server = server(), i] {
      HttpClient own(server.port());
      return post_with_key(own, photo_form("racer-" + std::to_string(i)), "race-1");
    }));
  }
  std::set<std::string> ids;
  for (auto& answer : racing) {
    const HttpResponse response = answer.get();
    ASSERT_EQ(response.status, 202) << response;
    ids.insert(task_id_of(response));
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(server().count_in_log("task accepted") - accepted_before, 1u) << server().log_tail();
}

TEST_F(Idempotency, ABatchRetryGetsTheSameBatch) {
  const std::vector<NamedFile> files = {{"a.jpg", fixture("photo.jpg")},
                                        {"b.png", fixture("alpha.png")}};
  const Fields fields = {
      {"variants", variants_json({{"small", 32, 32, "png"}, {"big", 64, 64, "webp"}})}};
  const HttpResponse first =
      submit_batch(client(), files, fields, {{"Idempotency-Key", "batch-1"}});
  ASSERT_EQ(first.status, 202) << first;
  const int queued_after_first = queued_task_count(client());

  const HttpResponse retry =
      submit_batch(client(), files, fields, {{"Idempotency-Key", "batch-1"}});

  ASSERT_EQ(retry.status, 202) << retry;
  EXPECT_EQ(retry.json(), first.json());
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  EXPECT_LE(queued_task_count(client()), queued_after_first);
  const nlohmann::json batch = wait_for_batch(client(), first.json().value("batch_id", ""));
  EXPECT_EQ(batch["summary"].value("SUCCESS", 0), 4) << batch.dump();
}

// Not shared: the server dies in the middle.
TEST(IdempotencyAfterCrash, ARetryAfterASigkillBetweenStoringAndAnsweringGetsTheStoredTask) {
  testing::TempDir dir{"image-resize-it-"};
  const auto data_dir = dir.path() / "data";
  const std::string key(testing::kFaultKillAfterStoringKey);
  std::string first_id;
  {
    auto dying = start_server({}, data_dir, IMAGE_RESIZE_FAULT_HOOKS_BINARY);
    ASSERT_TRUE(dying->started());
    HttpClient client(dying->port());
    const HttpResponse lost = post_with_key(client, photo_form("before-crash"), key);
    EXPECT_EQ(lost.status, 0) << "the server answered before it died: " << lost;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (dying->running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    // The API process died; the rest of the deployment (a worker) goes too.
    dying->kill9();
    EXPECT_EQ(dying->count_in_log("task accepted"), 0u) << dying->log_tail();
  }
  auto restarted = start_server({}, data_dir, IMAGE_RESIZE_FAULT_HOOKS_BINARY);
  ASSERT_TRUE(restarted->started());
  HttpClient client(restarted->port());

  const HttpResponse retry = post_with_key(client, photo_form("after-crash"), key);

  ASSERT_EQ(retry.status, 202) << retry << restarted->log_tail();
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  const std::string id = task_id_of(retry);
  const nlohmann::json done = wait_for_task(client, id);
  EXPECT_EQ(done.value("status", ""), "SUCCESS") << done.dump();
  EXPECT_EQ(restarted->count_in_log("task accepted"), 0u) << restarted->log_tail();
  // The killed worker may have finished the task without acking it: the entry goes once it is
  // handed out again, after its worker is seen gone (default flags: within about 7 s).
  EXPECT_EQ(queued_task_count_once_settled(client, 30s), 0) << restarted->log_tail();
}

}  // namespace
}  // namespace image_resize::integration
