// The S3 blob store end to end, with every other flag at its default: a start that names a bad
// configuration, serve and the scaled-out mode keeping their images in the bucket only, results
// relayed (with an ETag answered from the task alone) or redirected to a presigned URL, and
// faults: the store stopped mid-load (503 with Retry-After, /readyz 503, then every accepted
// task SUCCESS), a worker whose result write fails (retried; the task still succeeds), an input
// damaged in the bucket (FAILURE after its attempts, not retried for ever), and a
// batch whose storing fails halfway, at an input's write or at the batch's record, which leaves
// no input object, no batch and no task behind.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "integration/api_helpers.h"
#include "integration/batch_helpers.h"
#include "integration/load_tools.h"
#include "integration/redis_topology.h"
#include "support/s3_server.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::S3Server;
using Env = std::vector<std::pair<std::string, std::string>>;

// `serve` on the S3 server's bucket, with `more` flags.
testing::ServerOptions serve_on(const S3Server& s3, std::vector<std::string> more = {}) {
  testing::ServerOptions options;
  options.binary = IMAGE_RESIZE_BINARY;
  options.args = s3.service_flags();
  options.args.insert(options.args.end(), more.begin(), more.end());
  options.env = s3.service_env();
  return options;
}

// Object files of the bucket named by `id` (s3rver keeps key K as K._S3rver_object).
std::size_t objects_named_by(const S3Server& s3, const std::string& id) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(s3.objects_dir(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.find(id) != std::string::npos && name.ends_with("._S3rver_object")) ++count;
  }
  return count;
}

// The keys of `redis` matching `pattern` (a SCAN pattern), read with redis-cli.
std::vector<std::string> redis_keys(const testing::RedisServer& redis, const std::string& pattern) {
  const std::string command =
      "redis-cli -p " + std::to_string(redis.port()) + " --scan --pattern '" + pattern + "' 2>&1";
  std::vector<std::string> keys;
  FILE* out = ::popen(command.c_str(), "r");
  if (out == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return keys;
  }
  std::string line;
  for (int c = std::fgetc(out); c != EOF; c = std::fgetc(out)) {
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
    } else if (!line.empty()) {
      keys.push_back(std::exchange(line, {}));
    }
  }
  EXPECT_EQ(::pclose(out), 0) << command;
  return keys;
}

// Runs one redis-cli command; its exit code.
int redis_cli(const testing::RedisServer& redis, const std::string& arguments) {
  const std::string command =
      "redis-cli -p " + std::to_string(redis.port()) + " " + arguments + " >/dev/null 2>&1";
  return std::system(command.c_str());
}

// Everything a refused batch must not leave: input objects in the bucket, batch records, tasks,
// input users, queued tasks.
void expect_nothing_stored(const S3Server& s3, RedisTopology& topology, HttpClient& http) {
  std::error_code error;
  std::size_t inputs = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(s3.objects_dir() / "inputs", error)) {
    if (entry.path().filename().string().ends_with("._S3rver_object")) ++inputs;
  }
  EXPECT_EQ(inputs, 0U);
  for (const char* pattern : {"*batch*", "*task:*", "*input:*"}) {
    EXPECT_EQ(redis_keys(topology.redis, pattern), std::vector<std::string>{}) << pattern;
  }
  EXPECT_EQ(queued_task_count(http), 0);
}

std::vector<NamedFile> three_photos() {
  return {{"a.jpg", fixture("photo.jpg")},
          {"b.jpg", fixture("photo.jpg")},
          {"c.jpg", fixture("photo.jpg")}};
}

// Reads an object with boto3 (an S3 client independent of ours); nullopt when it fails.
std::optional<std::string> read_with_boto3(const S3Server& s3, const std::string& key,
                                           const std::filesystem::path& scratch) {
  const auto out = scratch / "boto3-object";
  if (s3.boto3("get " + key + " " + out.string()) != 0) return std::nullopt;
  std::ifstream in(out, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ObjectStorage, ABadConfigurationStopsTheStartWithOneClearLine) {
  S3Server s3;
  ASSERT_TRUE(s3.started());
  struct Case {
    std::vector<std::string> args;
    Env env;
    const char* says;
  };
  const std::string bucket = "s3://" + s3.bucket();
  const std::vector<Case> cases = {
      {{"--blob-store", "gcs://images"}, s3.service_env(), "--blob-store must be"},
      {{"--blob-store", bucket, "--s3-endpoint", s3.endpoint()},
       {{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}},
       "AWS_ACCESS_KEY_ID"},
      {{"--blob-store", bucket, "--s3-endpoint", s3.endpoint()},
       {{"AWS_ACCESS_KEY_ID", s3.access_key()}, {"AWS_SECRET_ACCESS_KEY", "wrong-secret-key"}},
       "denied"},
      {{"--blob-store", "s3://no-such-bucket", "--s3-endpoint", s3.endpoint()},
       s3.service_env(),
       "does not exist"},
      {{"--blob-store", bucket, "--s3-endpoint", "ftp://127.0.0.1:21"},
       s3.service_env(),
       "--s3-endpoint"},
  };
  for (const Case& c : cases) {
    testing::ServerOptions options;
    options.args = c.args;
    options.env = c.env;
    const FailedStart start = start_expecting_failure(options);
    EXPECT_FALSE(start.started) << c.says;
    EXPECT_EQ(start.exit_code, 1) << start.log;
    EXPECT_NE(start.log.find(c.says), std::string::npos) << start.log;
    EXPECT_EQ(start.reported_failures, 1) << start.log;
    EXPECT_EQ(start.log.find("wrong-secret-key"), std::string::npos) << "a secret was logged";
  }
}

TEST(ObjectStorage, ServeKeepsItsImagesInTheBucketAndAnswersRevalidationsWithoutReadingThem) {
  S3Server s3;
  ASSERT_TRUE(s3.started());
  testing::TempDir scratch;
  auto server = std::make_unique<ServerProcess>(serve_on(s3));
  ASSERT_TRUE(server->started()) << server->log_tail();
  HttpClient http(server->port());

  const FinishedTask task = run_task(http, fixture("photo.jpg"), {{"width", "120"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  const HttpResponse result = http.get(std::string(kResultPath) + task.id);
  ASSERT_EQ(result.status, 200) << result;
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 120);
  EXPECT_NE(result.header("Cache-Control").value_or("").find("immutable"), std::string::npos);

  // The result is an object of the bucket (the input was removed once the task ended), and no
  // image file is in the data dir.
  EXPECT_EQ(objects_named_by(s3, task.id), 1U);
  EXPECT_FALSE(std::filesystem::exists(server->data_dir() / "inputs"));
  EXPECT_FALSE(std::filesystem::exists(server->data_dir() / "results"));
  // An independent S3 client reads the very bytes the API served.
  EXPECT_EQ(read_with_boto3(s3, "results/" + task.id, scratch.path()), result.body);

  // With the store gone, a revalidation is still answered: the ETag is kept with the task.
  const std::string etag = result.header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  s3.stop();
  const HttpResponse revalidated =
      http.get(std::string(kResultPath) + task.id, {{"If-None-Match", etag}});
  EXPECT_EQ(revalidated.status, 304) << revalidated;
  EXPECT_EQ(revalidated.header("ETag").value_or(""), etag);
  const HttpResponse unreadable = http.get(std::string(kResultPath) + task.id);
  EXPECT_TRUE(is_json_error(unreadable, 503, "backend_unavailable")) << unreadable;
  ASSERT_TRUE(s3.restart());
  EXPECT_EQ(http.get(std::string(kResultPath) + task.id).body, result.body);

  // DELETE removes the objects.
  EXPECT_EQ(http.del(std::string(kTasksPath) + task.id).status, 204);
  EXPECT_EQ(objects_named_by(s3, task.id), 0U);
  EXPECT_EQ(server->terminate(), 0) << server->log_tail();
}

TEST(ObjectStorage, ResultRedirectSendsTheClientToAPresignedUrlOfTheBucket) {
  S3Server s3;
  ASSERT_TRUE(s3.started());
  auto server = std::make_unique<ServerProcess>(serve_on(s3, {"--result-redirect", "true"}));
  ASSERT_TRUE(server->started()) << server->log_tail();
  HttpClient http(server->port());
  const FinishedTask task =
      run_task(http, fixture("photo.jpg"), {{"width", "90"}, {"format", "webp"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();

  for (const char* method : {"GET", "HEAD"}) {
    const HttpResponse redirect = http.request(method, std::string(kResultPath) + task.id);
    EXPECT_EQ(redirect.status, 307) << redirect;
    const std::string location = redirect.header("Location").value_or("");
    ASSERT_EQ(location.rfind(s3.endpoint() + "/" + s3.bucket() + "/results/" + task.id, 0), 0U)
        << location;
    EXPECT_NE(location.find("X-Amz-Signature="), std::string::npos) << location;
    EXPECT_NE(location.find("X-Amz-Expires=300"), std::string::npos) << location;
  }
  const std::string location =
      http.get(std::string(kResultPath) + task.id).header("Location").value_or("");
  HttpClient bucket(s3.port());
  const HttpResponse object = bucket.get(location.substr(s3.endpoint().size()));
  ASSERT_EQ(object.status, 200) << object;
  EXPECT_EQ(object.header("Content-Type").value_or(""), "image/webp");
  EXPECT_NE(object.header("Cache-Control").value_or("").find("max-age="), std::string::npos);
  const auto info = inspect_image(object.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->format, "webp");
  EXPECT_EQ(info->width, 90);
  EXPECT_EQ(server->terminate(), 0) << server->log_tail();
}

TEST(ObjectStorageFaults, AStoppedStoreGives503UntilItIsBackAndNoAcceptedTaskIsLost) {
  const auto start = Clock::now();
  S3Server s3;
  RedisTopology topology(2, {}, &s3);
  ASSERT_TRUE(topology.started());
  HttpClient http(topology.api->port(), 15s);
  ASSERT_EQ(http.get("/readyz").status, 200);

  SteadyUploader uploader(topology.api->port());
  std::this_thread::sleep_for(1500ms);
  s3.stop();
  // A width the uploader never asks for: a repeated upload stores nothing, so it would pass.
  const HttpResponse refused = submit(http, fixture("photo.jpg"), {{"width", "33"}});
  EXPECT_TRUE(is_json_error(refused, 503, "backend_unavailable")) << refused;
  EXPECT_TRUE(refused.has_header("Retry-After")) << refused;
  const HttpResponse not_ready = http.get("/readyz");
  EXPECT_EQ(not_ready.status, 503) << not_ready;
  EXPECT_EQ(not_ready.json().value("blobs", ""), "unavailable") << not_ready;
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(s3.restart());
  const auto back_at = std::chrono::system_clock::now();
  std::this_thread::sleep_for(2000ms);
  uploader.stop();
  EXPECT_EQ(http.get("/readyz").status, 200);

  std::cout << "[s3-faults] 202 " << uploader.accepted.size() << ", 503 during the outage "
            << uploader.unavailable << ", dropped " << uploader.dropped << "\n";
  EXPECT_TRUE(uploader.unexpected.empty()) << "uploads answered neither 202 nor 503";
  EXPECT_GE(uploader.unavailable, 1) << "no upload saw the outage";
  ASSERT_GE(uploader.accepted.size(), 10U);
  const Outcome outcome = await_all(topology.api->port(), ids_of(uploader.accepted), 60s);
  std::cout << "[s3-faults] SUCCESS " << outcome.success << ", run more than once "
            << outcome.retried << ", all done " << seconds_between(back_at, last_finished(outcome))
            << " s after S3 was back, " << seconds_since(start) << " s\n";
  expect_all_succeeded(outcome, uploader.accepted);
  for (const auto& worker : topology.workers) EXPECT_TRUE(worker->running());
  topology.expect_clean_exit();
}

TEST(ObjectStorageFaults, AWorkerWhoseResultWriteFailsTriesAgainAndTheTaskSucceeds) {
  S3Server s3({.fault_proxy = true});
  RedisTopology topology(1, {}, &s3);
  ASSERT_TRUE(topology.started());
  HttpClient http(topology.api->port(), 15s);
  // More failures than one write's attempts: the worker's first write fails as a whole.
  const int attempts_per_write = 4;
  s3.fail_requests("PUT", "/results/", 503, "SlowDown", attempts_per_write + 2);

  const FinishedTask task = run_task(http, fixture("photo.jpg"), {{"width", "80"}});
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(http.get(std::string(kResultPath) + task.id).status, 200);
  const std::string log = topology.workers[0]->log();
  EXPECT_EQ(task_ids_logged(log, "result blob write failed").count(task.id), 1U) << log;
  EXPECT_GE(s3.requests_seen("PUT", "/results/" + task.id), attempts_per_write + 3);
  topology.expect_clean_exit();
}

// An input changed in the bucket after it was stored: each read fails its checksum, each counted
// as an attempt, and the task ends FAILURE after --max-attempts (default 3) instead of being
// handed back for ever.
TEST(ObjectStorageFaults, AnInputDamagedInTheBucketEndsFailureAfterItsAttempts) {
  S3Server s3;
  RedisTopology topology(0, {}, &s3);  // no worker yet: nothing reads the input before it is hit
  ASSERT_TRUE(topology.started());
  HttpClient http(topology.api->port(), 15s);
  const HttpResponse accepted = submit(http, fixture("photo.jpg"), {{"width", "81"}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  const auto object = s3.objects_dir() / "inputs" / (id + "._S3rver_object");
  ASSERT_TRUE(std::filesystem::exists(object));
  std::string bytes = fixture("photo.jpg");
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(object, std::ios::binary | std::ios::trunc) << bytes;
  std::filesystem::remove(object.string() + ".md5");  // s3rver recomputes its ETag

  ServerProcess* worker = topology.add_worker();
  ASSERT_NE(worker, nullptr);
  const nlohmann::json status = wait_for_task(http, id, 60);
  EXPECT_EQ(status.value("status", ""), "FAILURE") << status.dump();
  EXPECT_EQ(status["error"].value("code", ""), "internal") << status.dump();
  EXPECT_NE(status["error"].value("message", "").find("damaged in storage"), std::string::npos)
      << status.dump();
  EXPECT_EQ(status.value("attempts", 0), 3) << status.dump();
  EXPECT_EQ(worker->count_in_log("input blob damaged task_id=" + id), 3U) << worker->log_tail();
  topology.expect_clean_exit();
}

// Issue #20: a batch whose storing fails halfway, on the scaled-out mode with its images in S3
// behind the fault proxy.
class BatchStoreFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(topology.started());
    http = std::make_unique<HttpClient>(topology.api->port(), 15s);
  }

  S3Server s3{{.fault_proxy = true}};
  RedisTopology topology{1, {}, &s3};
  std::unique_ptr<HttpClient> http;
};

// The second input's write fails (past every retry), after the first one was stored. The
// upload answers 503 backend_unavailable and the first input is removed again.
TEST_F(BatchStoreFaults, ASecondInputWriteThatFailsLeavesNothingBehind) {
  s3.fail_requests("PUT", "/inputs/", 500, "InternalError", 20, 1);

  const HttpResponse refused = submit_batch(*http, three_photos(), {{"width", "40"}});
  EXPECT_TRUE(is_json_error(refused, 503, "backend_unavailable")) << refused;
  // The first stored, then the second's attempts; the first removed, the third never tried.
  EXPECT_GE(s3.requests_seen("PUT", "/inputs/"), 2);
  EXPECT_EQ(s3.requests_seen("DELETE", "/inputs/"), 1);
  EXPECT_NE(topology.api->log().find("input blob write failed"), std::string::npos);
  expect_nothing_stored(s3, topology, *http);

  // Once S3 takes writes again the same batch is accepted.
  s3.clear_faults();
  const HttpResponse accepted = submit_batch(*http, three_photos(), {{"width", "40"}});
  EXPECT_EQ(accepted.status, 202) << accepted;
  topology.expect_clean_exit();
}

// Every input is stored, then the batch's record cannot be written (Redis refuses writes over its
// maxmemory but still answers reads, so the queue-room check passes). The inputs are removed
// again.
TEST_F(BatchStoreFaults, ARecordThatCannotBeWrittenLeavesNoInputBehind) {
  ASSERT_EQ(redis_cli(topology.redis, "CONFIG SET maxmemory 1"), 0);

  const HttpResponse refused = submit_batch(*http, three_photos(), {{"width", "40"}});
  ASSERT_EQ(redis_cli(topology.redis, "CONFIG SET maxmemory 0"), 0);
  EXPECT_TRUE(is_json_error(refused, 503, "backend_unavailable")) << refused;
  EXPECT_EQ(s3.requests_seen("PUT", "/inputs/"), 3);
  EXPECT_EQ(s3.requests_seen("DELETE", "/inputs/"), 3);
  EXPECT_NE(topology.api->log().find("batch create failed"), std::string::npos);
  expect_nothing_stored(s3, topology, *http);
  topology.expect_clean_exit();
}

}  // namespace
}  // namespace image_resize::integration
