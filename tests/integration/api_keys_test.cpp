// --api-keys-file: every /api/v1 route needs a bearer key (401 without, 403 with a wrong one),
// a task is visible only to the key that created it, and keys never reach the logs.
#include <fstream>

#include "integration/api_helpers.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

constexpr const char* kAlice = "alice-7d1f0c9e2b8a4f63";
constexpr const char* kBob = "bob-5e2a9c1d7f3b8e40";

class ApiKeysOn : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    static testing::TempDir dir("image-resize-keys-");
    const auto file = dir.path() / "keys";
    std::ofstream(file) << "# test keys\n" << kAlice << " alice\n" << kBob << " bob\n";
    start_with({"--api-keys-file", file.string()});
  }

 protected:
  HttpResponse upload(const testing::HeaderList& headers) {
    const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "20"}});
    testing::HeaderList all = headers;
    all.emplace_back("Content-Type", form.content_type());
    return client().request("POST", kResizePath, all, form.body());
  }
  std::string alice_task() {
    const HttpResponse accepted = upload(bearer(kAlice));
    EXPECT_EQ(accepted.status, 202) << accepted;
    return task_id_of(accepted);
  }
};

TEST_F(ApiKeysOn, AnIdempotencyKeyIsEachApiKeysOwn) {
  const auto with_key = [](const char* api_key) {
    testing::HeaderList headers = bearer(api_key);
    headers.emplace_back("Idempotency-Key", "shared-retry-key");
    return headers;
  };
  const HttpResponse alice = upload(with_key(kAlice));
  const HttpResponse bob = upload(with_key(kBob));
  ASSERT_EQ(alice.status, 202) << alice;
  ASSERT_EQ(bob.status, 202) << bob;
  EXPECT_NE(task_id_of(alice), task_id_of(bob));
  EXPECT_FALSE(bob.has_header("Idempotent-Replayed"));

  const HttpResponse alice_retry = upload(with_key(kAlice));
  EXPECT_EQ(task_id_of(alice_retry), task_id_of(alice));
  EXPECT_EQ(alice_retry.header("Idempotent-Replayed"), "true");
}

TEST_F(ApiKeysOn, WithoutAKeyEveryApiRouteAnswers401) {
  const std::string id = "c4ac4a34-40a2-4750-a158-767c2c68164d";
  const HttpResponse upload_without = upload({});
  EXPECT_TRUE(is_json_error(upload_without, 401, "unauthorized")) << upload_without;
  EXPECT_EQ(upload_without.header("WWW-Authenticate").value_or(""), "Bearer");
  for (const std::string& path : {std::string(kStatusPath) + id, std::string(kResultPath) + id,
                                  std::string("/api/v1/dashboard")}) {
    EXPECT_TRUE(is_json_error(client().get(path), 401, "unauthorized")) << path;
  }
  EXPECT_TRUE(is_json_error(client().del(std::string(kTasksPath) + id), 401, "unauthorized"));
  EXPECT_TRUE(
      is_json_error(client().get(std::string(kStatusPath) + id, {{"Authorization", "Basic YQ=="}}),
                    401, "unauthorized"));
}

TEST_F(ApiKeysOn, AWrongKeyAnswers403) {
  const HttpResponse response = upload(bearer("mallory-0000000000000000"));
  EXPECT_TRUE(is_json_error(response, 403, "forbidden")) << response;
  EXPECT_TRUE(is_json_error(client().get("/api/v1/dashboard", bearer(kAlice + std::string("x"))),
                            403, "forbidden"));
}

TEST_F(ApiKeysOn, TheOwnerUsesItsTaskAndAnotherKeySeesNothing) {
  const std::string id = alice_task();
  ASSERT_FALSE(id.empty());
  const std::string status_path = std::string(kStatusPath) + id + "?wait=30";
  const HttpResponse done = client().get(status_path, bearer(kAlice));
  ASSERT_EQ(done.status, 200) << done;
  ASSERT_EQ(done.json().value("status", ""), "SUCCESS") << done;
  EXPECT_EQ(client().get(std::string(kResultPath) + id, bearer(kAlice)).status, 200);

  // Bob cannot tell the task from one that does not exist, nor delete it.
  EXPECT_TRUE(is_json_error(client().get(std::string(kStatusPath) + id, bearer(kBob)), 404,
                            "task_not_found"));
  EXPECT_TRUE(is_json_error(client().get(std::string(kResultPath) + id, bearer(kBob)), 404,
                            "task_not_found"));
  EXPECT_TRUE(is_json_error(client().request("DELETE", std::string(kTasksPath) + id, bearer(kBob)),
                            404, "task_not_found"));
  EXPECT_EQ(client().get(std::string(kStatusPath) + id, bearer(kAlice)).status, 200);
  EXPECT_EQ(client().request("DELETE", std::string(kTasksPath) + id, bearer(kAlice)).status, 204);
}

TEST_F(ApiKeysOn, OperationsAndPagesNeedNoKeyAndKeysNeverReachTheLogs) {
  EXPECT_EQ(client().get("/healthz").status, 200);
  EXPECT_EQ(client().get("/readyz").status, 200);
  EXPECT_EQ(client().get("/metrics").status, 200);
  EXPECT_EQ(client().get("/").status, 200);
  alice_task();
  upload(bearer("mallory-0000000000000000"));
  EXPECT_TRUE(server().wait_for_log("task accepted", std::chrono::seconds(5)));
  for (const char* secret : {kAlice, kBob, "mallory-0000000000000000"}) {
    EXPECT_EQ(server().count_in_log(secret), 0u) << secret;
  }
  // Request lines name the client and the key's name; a wrong key is logged as no key.
  EXPECT_TRUE(server().wait_for_log("route=resize status=202", std::chrono::seconds(5)));
  EXPECT_GE(server().count_in_log("client=127.0.0.1 key=alice method=POST"), 1u)
      << server().log_tail();
  EXPECT_GE(server().count_in_log("client=127.0.0.1 key=- method=POST"), 1u) << server().log_tail();
}

}  // namespace
}  // namespace image_resize::integration
