// The scaled-out mode under faults: a worker SIGKILLed mid-load, Redis SIGKILLed and restarted
// on its appendonly file, Redis stopped. Each test builds its own topology (a redis-server with
// appendfsync always, one api, workers, a shared data dir), so it runs the same whatever
// IMAGE_RESIZE_TEST_BACKEND says. The promise: a task that got its 202 is never lost.
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "integration/api_helpers.h"
#include "integration/load_tools.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::RedisServer;
using testing::RedisServerOptions;
using testing::ServerOptions;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A redis-server that logs every write to disk before answering, an api and `workers` worker
// processes (one task at a time each, 2 s leases) on one data dir. Members go in reverse order:
// the service processes die before their data dir and Redis.
class Topology {
 public:
  explicit Topology(int worker_count) {
    if (!redis.started()) return;
    const std::vector<std::string> args{"--redis",         redis.url(), "--workers", "1",
                                        "--lease",         "2s",        "--shutdown-grace",
                                        "10s"};
    api = std::make_unique<ServerProcess>(ServerOptions{
        .binary = IMAGE_RESIZE_BINARY, .data_dir = dir.path() / "data", .mode = "api",
        .args = args});
    for (int i = 0; i < worker_count; ++i) {
      workers.push_back(std::make_unique<ServerProcess>(ServerOptions{
          .binary = IMAGE_RESIZE_BINARY, .data_dir = dir.path() / "data", .mode = "worker",
          .args = args}));
    }
  }

  bool started() const {
    if (api == nullptr || !api->started()) return false;
    for (const auto& worker : workers) {
      if (!worker->started()) return false;
    }
    return true;
  }

  std::size_t succeeded() const {
    std::size_t count = 0;
    for (const auto& worker : workers) count += worker->count_in_log("task succeeded");
    return count;
  }

  // SIGTERM to the api, then to every worker still running; each must exit 0.
  void expect_clean_exit() {
    EXPECT_EQ(api->terminate(), 0) << api->log_tail();
    for (auto& worker : workers) {
      if (worker->running()) {
        EXPECT_EQ(worker->terminate(), 0) << worker->log_tail();
      }
    }
  }

  RedisServer redis{RedisServerOptions{.appendonly = true, .fsync_always = true}};
  testing::TempDir dir{"image-resize-it-"};
  std::unique_ptr<ServerProcess> api;
  std::vector<std::unique_ptr<ServerProcess>> workers;
};

std::vector<std::string> ids_of(const std::map<std::string, int>& accepted) {
  std::vector<std::string> ids;
  for (const auto& [id, width] : accepted) ids.push_back(id);
  return ids;
}

// Every task ended SUCCESS with the width it asked for; none 404, none stuck.
void expect_all_succeeded(const Outcome& outcome, const std::map<std::string, int>& asked) {
  EXPECT_EQ(outcome.not_found, 0) << "accepted tasks lost";
  EXPECT_EQ(outcome.unfinished, 0) << "accepted tasks stuck";
  EXPECT_EQ(outcome.failure, 0) << "valid images should not fail";
  EXPECT_EQ(static_cast<std::size_t>(outcome.success), asked.size());
  for (std::size_t i = 0; i < outcome.problems.size() && i < 20; ++i)
    ADD_FAILURE() << outcome.problems[i];
  for (const auto& [id, width] : asked) {
    const auto found = outcome.result_width.find(id);
    if (found != outcome.result_width.end()) {
      EXPECT_EQ(found->second, width) << id;
    }
  }
}

TEST(RedisFaults, KillingOneOfTwoWorkersLosesNoTask) {
  constexpr int kTasks = 300;
  constexpr std::size_t kKillAfterSucceeded = 50;
  const auto start = Clock::now();
  Topology topology(2);
  ASSERT_TRUE(topology.started());

  Submitter submitter(topology.api->port(), kTasks, 4);
  const auto give_up = Clock::now() + 40s;
  while (topology.succeeded() < kKillAfterSucceeded && Clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  const std::size_t done_before_kill = topology.succeeded();
  const std::size_t accepted_before_kill = topology.api->count_in_log("task accepted");
  topology.workers[0]->kill9();
  ASSERT_GE(done_before_kill, kKillAfterSucceeded);
  submitter.join();
  const std::map<std::string, int> accepted = submitter.accepted();
  EXPECT_TRUE(submitter.unexpected().empty()) << "uploads answered other than 202";
  // Distinct ids: no two uploads were handed the same task.
  ASSERT_EQ(accepted.size(), static_cast<std::size_t>(kTasks));

  const Outcome outcome = await_all(topology.api->port(), ids_of(accepted), 45s);
  std::cout << "[redis-faults] finished before SIGKILL " << done_before_kill << " of " << kTasks
            << " (accepted " << accepted_before_kill << "); SUCCESS " << outcome.success << ", run more than once " << outcome.retried
            << ", " << seconds_since(start) << " s\n";
  expect_all_succeeded(outcome, accepted);
  EXPECT_LE(outcome.max_attempts, 2) << "one crash costs a task at most one extra run";
  EXPECT_GT(topology.workers[1]->count_in_log("task succeeded"), 0u);
  topology.expect_clean_exit();
}

// Uploads from one client thread until stopped, as a client would: a 503 (with Retry-After) or
// a dropped connection is counted and the next upload follows.
class SteadyUploader {
 public:
  explicit SteadyUploader(std::uint16_t port)
      : thread_([this, port] {
          const std::string photo = fixture("photo.jpg");
          HttpClient http(port, 10s);
          for (int i = 0; !stop_; ++i) {
            const int width = 40 + i % 50;
            const HttpResponse response = submit(http, photo, {{"width", std::to_string(width)}});
            std::lock_guard lock(mutex_);
            if (response.status == 202) {
              accepted[task_id_of(response)] = width;
            } else if (response.status == 503 && response.has_header("Retry-After")) {
              ++unavailable;
            } else if (response.status == 0) {
              ++dropped;
            } else {
              unexpected.push_back(response.status);
            }
            std::this_thread::sleep_for(20ms);
          }
        }) {}
  ~SteadyUploader() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Read these after stop().
  std::map<std::string, int> accepted;
  int unavailable = 0;
  int dropped = 0;
  std::vector<int> unexpected;

 private:
  std::mutex mutex_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(RedisFaults, RestartingRedisMidLoadLosesNoAcceptedTask) {
  const auto start = Clock::now();
  Topology topology(2);
  ASSERT_TRUE(topology.started());

  SteadyUploader uploader(topology.api->port());
  std::this_thread::sleep_for(1500ms);
  topology.redis.kill9();
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(topology.redis.restart());
  std::this_thread::sleep_for(2000ms);
  uploader.stop();

  std::cout << "[redis-faults] 202 " << uploader.accepted.size() << ", 503 during the outage "
            << uploader.unavailable << ", dropped " << uploader.dropped << "\n";
  EXPECT_TRUE(uploader.unexpected.empty()) << "uploads answered neither 202 nor 503";
  EXPECT_GE(uploader.unavailable, 1) << "no upload saw the outage";
  ASSERT_GE(uploader.accepted.size(), 10u);

  const Outcome outcome = await_all(topology.api->port(), ids_of(uploader.accepted), 40s);
  std::cout << "[redis-faults] SUCCESS " << outcome.success << ", run more than once "
            << outcome.retried << ", " << seconds_since(start) << " s\n";
  expect_all_succeeded(outcome, uploader.accepted);
  for (const auto& worker : topology.workers) EXPECT_TRUE(worker->running());
  topology.expect_clean_exit();
}

TEST(RedisFaults, StoppedRedisGives503ThenRecovers) {
  Topology topology(1);
  ASSERT_TRUE(topology.started());
  HttpClient http(topology.api->port(), 15s);
  ASSERT_EQ(http.get("/readyz").status, 200);

  topology.redis.stop();
  const HttpResponse refused = submit(http, fixture("photo.jpg"), {{"width", "64"}});
  EXPECT_TRUE(is_json_error(refused, 503, "backend_unavailable")) << refused;
  EXPECT_TRUE(refused.has_header("Retry-After")) << refused;
  const HttpResponse not_ready = http.get("/readyz");
  EXPECT_EQ(not_ready.status, 503) << not_ready;

  ASSERT_TRUE(topology.redis.restart());
  const auto restarted = Clock::now();
  int ready = 0;
  while ((ready = http.get("/readyz").status) != 200 && Clock::now() - restarted < 10s) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(ready, 200) << topology.api->log_tail();
  std::cout << "[redis-faults] /readyz 200 again " << seconds_since(restarted)
            << " s after the restart\n";

  const FinishedTask task = run_task(http, fixture("photo.jpg"), {{"width", "64"}});
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  if (task.status.contains("result")) {
    EXPECT_EQ(task.status["result"].value("width", 0), 64);
  }
  topology.expect_clean_exit();
}

}  // namespace
}  // namespace image_resize::integration
