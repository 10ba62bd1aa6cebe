// bench-preload against the real stores: the tasks it writes are what `serve` (SQLite) and
// `api` + `worker` (Redis) read back, over real HTTP. Finished tasks answer SUCCESS with their
// output; queued ones are resized by the workers once they start.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/http_client.h"
#include "support/redis_server.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "tool_run.h"

namespace image_resize::bench {
namespace {

using testing::HttpClient;
using testing::ServerProcess;
using testing::TempDir;

testing::ServerOptions options(const std::string& mode, const std::filesystem::path& data_dir,
                               std::vector<std::string> args = {}) {
  return {.binary = IMAGE_RESIZE_BINARY, .data_dir = data_dir, .mode = mode, .args = args};
}

class PreloadTest : public ::testing::Test {
 protected:
  // bench-preload with `flags`; the ids it reports in ids_file().
  Outcome preload(const std::string& flags) const {
    return run(std::string(BENCH_PRELOAD_BINARY)
                   .append(" ")
                   .append(flags)
                   .append(" --ids-out ")
                   .append(ids_file().string()));
  }
  std::filesystem::path ids_file() const { return work_.path() / "ids.txt"; }
  std::vector<std::string> ids() const {
    std::vector<std::string> lines;
    std::istringstream in(testing::read_file(ids_file()));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // Every id answers SUCCESS (after a long poll, for queued ones) with a 100x100 JPEG result.
  static void expect_succeeded(std::uint16_t port, const std::vector<std::string>& ids) {
    HttpClient http(port, std::chrono::seconds(40));
    for (const std::string& id : ids) {
      const auto status = http.get("/api/v1/status/" + id + "?wait=30");
      ASSERT_EQ(status.status, 200) << id << status.body;
      const auto body = status.json();
      EXPECT_EQ(body.value("status", ""), "SUCCESS") << body;
    }
  }

  // bench-load's status mode on the preloaded ids, expecting SUCCESS: the benchmark's probe.
  Outcome probe(std::uint16_t port) const {
    return run(std::string(BENCH_LOAD_BINARY)
                   .append(" --mode status --expect SUCCESS --count 20 --concurrency 2 --ids ")
                   .append(ids_file().string())
                   .append(" --width 100 --height 100 --input ")
                   .append(testing::fixture_image("photo.jpg").string())
                   .append(" --port ")
                   .append(std::to_string(port)));
  }

  TempDir work_{"image-resize-preload-"};
  std::filesystem::path data_dir_ = work_.path() / "data";
};

TEST_F(PreloadTest, ServeAnswersSqliteTasksAsFinished) {
  const Outcome preloaded =
      preload("--count 25000 --ids-sample 50 --data-dir " + data_dir_.string());
  ASSERT_EQ(preloaded.exit_code, 0) << preloaded.output;
  EXPECT_EQ(preloaded.json()["tasks"], 25000) << preloaded.output;
  ASSERT_EQ(ids().size(), 50U);

  ServerProcess server(options("serve", data_dir_));
  ASSERT_TRUE(server.started());
  expect_succeeded(server.port(), ids());
  const Outcome probed = probe(server.port());
  EXPECT_EQ(probed.exit_code, 0) << probed.output << server.log_tail();
  EXPECT_EQ(probed.json()["ok"], 20) << probed.output;
}

TEST_F(PreloadTest, ApiAnswersRedisTasksAsFinished) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.started());
  const Outcome preloaded = preload("--count 25000 --ids-sample 50 --redis " + redis.url());
  ASSERT_EQ(preloaded.exit_code, 0) << preloaded.output;
  ASSERT_EQ(ids().size(), 50U);

  ServerProcess api(options("api", data_dir_, {"--redis", redis.url()}));
  ASSERT_TRUE(api.started());
  expect_succeeded(api.port(), ids());
  const Outcome probed = probe(api.port());
  EXPECT_EQ(probed.exit_code, 0) << probed.output << api.log_tail();
  // No queue entries left behind: a worker started now finds nothing to do.
  ServerProcess worker(options("worker", data_dir_, {"--redis", redis.url()}));
  ASSERT_TRUE(worker.started());
  EXPECT_FALSE(worker.wait_for_log("task succeeded", std::chrono::seconds(1)));
}

TEST_F(PreloadTest, QueuedTasksAreResizedOnceWorkersStart) {
  const std::string input = testing::fixture_image("photo.jpg").string();
  const Outcome preloaded =
      preload("--state pending --count 4 --input " + input + " --data-dir " + data_dir_.string());
  ASSERT_EQ(preloaded.exit_code, 0) << preloaded.output;
  ASSERT_EQ(ids().size(), 4U);

  ServerProcess server(options("serve", data_dir_));
  ASSERT_TRUE(server.started());
  expect_succeeded(server.port(), ids());
}

TEST_F(PreloadTest, RedisQueuedTasksAreResizedOnceWorkersStart) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.started());
  const std::string input = testing::fixture_image("photo.jpg").string();
  const Outcome preloaded = preload("--state pending --count 4 --input " + input + " --redis " +
                                    redis.url() + " --data-dir " + data_dir_.string());
  ASSERT_EQ(preloaded.exit_code, 0) << preloaded.output;
  // Finished tasks are refused while these are queued: trimming the queue would drop them.
  EXPECT_NE(run(std::string(BENCH_PRELOAD_BINARY) + " --count 1 --redis " + redis.url()).exit_code,
            0);

  ServerProcess api(options("api", data_dir_, {"--redis", redis.url()}));
  ASSERT_TRUE(api.started());
  ServerProcess worker(options("worker", data_dir_, {"--redis", redis.url()}));
  ASSERT_TRUE(worker.started());
  expect_succeeded(api.port(), ids());
}

}  // namespace
}  // namespace image_resize::bench
