// The scaled-out mode under faults, every flag at its default (RedisTopology): a worker
// SIGKILLed or SIGTERMed mid-load, Redis SIGKILLed and restarted on its appendonly file, Redis
// stopped. The promises: a task that got its 202 is never lost, and a fault delays it by
// seconds, not by a lease.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "integration/redis_topology.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

// The dashboard's entry for the worker process `pid`, or null.
nlohmann::json dashboard_worker(HttpClient& http, pid_t pid) {
  const nlohmann::json dashboard = http.get("/api/v1/dashboard").json();
  const std::string suffix = "-" + std::to_string(pid);
  if (!dashboard.is_object() || !dashboard["workers"].is_array()) return nullptr;
  for (const auto& worker : dashboard["workers"]) {
    const std::string name = worker.value("name", "");
    if (name.size() > suffix.size() && name.ends_with(suffix)) return worker;
  }
  return nullptr;
}

// One worker SIGKILLed mid-load, with a replacement started 5 s later or without one, every
// flag at its default: the tasks the dead worker held run again within 15 s, because the live
// worker notices its missing heartbeats (not because a lease expired), and all end SUCCESS.
class KilledWorker : public ::testing::TestWithParam<bool> {};

TEST_P(KilledWorker, ItsTasksRunAgainWithinSecondsAndAllSucceed) {
  const bool replace = GetParam();
  constexpr int kTasks = 300;
  constexpr std::size_t kKillAfterSucceeded = 50;
  RedisTopology topology(2);
  ASSERT_TRUE(topology.started());

  Submitter submitter(topology.api->port(), kTasks, 8, large_photo());
  const auto give_up = Clock::now() + 90s;
  while (topology.succeeded() < kKillAfterSucceeded && Clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_GE(topology.succeeded(), kKillAfterSucceeded);
  HttpClient http(topology.api->port(), 15s);
  const pid_t killed_pid = topology.workers[0]->pid();
  ASSERT_TRUE(dashboard_worker(http, killed_pid).value("alive", false));
  const auto killed_at = SystemClock::now();
  topology.workers[0]->kill9();
  const std::set<std::string> held = started_not_finished(topology.workers[0]->log());
  if (replace) {
    std::this_thread::sleep_for(5s);
    ASSERT_NE(topology.add_worker(), nullptr);
  }
  submitter.join();
  const std::map<std::string, int> accepted = submitter.accepted();
  EXPECT_TRUE(submitter.unexpected().empty()) << "uploads answered other than 202";
  ASSERT_EQ(accepted.size(), static_cast<std::size_t>(kTasks));

  const Outcome outcome = await_all(topology.api->port(), ids_of(accepted), 120s);
  expect_all_succeeded(outcome, accepted);
  EXPECT_FALSE(held.empty()) << "the killed worker held no task: nothing was tested";
  double slowest_restart = 0;
  for (const std::string& id : held) {
    const nlohmann::json& status = outcome.last_status.at(id);
    // Finished just before the kill, with its log line lost: nothing to run again.
    if (time_of(status, "finished_at") <= killed_at) continue;
    const double restarted = seconds_between(killed_at, time_of(status, "started_at"));
    slowest_restart = std::max(slowest_restart, restarted);
    EXPECT_LE(restarted, 15.0) << id << " " << status.dump();
    EXPECT_GE(status.value("attempts", 0), 2) << status.dump();
  }
  std::size_t reclaimed_from_dead = 0;
  for (std::size_t i = 1; i < topology.workers.size(); ++i) {
    reclaimed_from_dead += topology.workers[i]->count_in_log("reason=worker_dead");
  }
  EXPECT_GE(reclaimed_from_dead, held.empty() ? 0u : 1u) << "taken back from the heartbeats";
  const double all_done = seconds_between(killed_at, last_finished(outcome));
  EXPECT_LE(all_done, 60.0);
  // The dashboard shows the killed worker gone once three beats are missed.
  bool shown_gone = false;
  while (!shown_gone && seconds_between(killed_at, SystemClock::now()) < 15.0) {
    const nlohmann::json entry = dashboard_worker(http, killed_pid);
    shown_gone = entry.is_object() && !entry.value("alive", true);
    if (!shown_gone) std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(shown_gone) << "the dashboard still shows the killed worker alive";
  std::cout << "[redis-faults] replacement " << replace << ": held by the killed worker "
            << held.size() << ", running again after at most " << slowest_restart << " s, all done "
            << all_done << " s after the kill\n";
  topology.expect_clean_exit();
}

INSTANTIATE_TEST_SUITE_P(RedisFaults, KilledWorker, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "WithAReplacementAfter5s" : "WithoutAReplacement";
                         });

// A worker stopped with SIGTERM mid-load (a rolling restart) finishes what it resizes and hands
// back what it leased but did not start: no task waits for a lease, none runs twice.
TEST(RedisFaults, ASigtermedWorkerFinishesItsTasksAndHandsBackTheRest) {
  constexpr int kTasks = 120;
  RedisTopology topology(2);
  ASSERT_TRUE(topology.started());
  Submitter submitter(topology.api->port(), kTasks, 8, large_photo());
  const auto give_up = Clock::now() + 90s;
  while (topology.succeeded() < 20 && Clock::now() < give_up) std::this_thread::sleep_for(5ms);
  const auto stopped_at = SystemClock::now();
  EXPECT_EQ(topology.workers[0]->terminate(), 0) << topology.workers[0]->log_tail();
  const double stop_seconds = seconds_between(stopped_at, SystemClock::now());
  submitter.join();
  const std::map<std::string, int> accepted = submitter.accepted();
  ASSERT_EQ(accepted.size(), static_cast<std::size_t>(kTasks));

  const Outcome outcome = await_all(topology.api->port(), ids_of(accepted), 120s);
  expect_all_succeeded(outcome, accepted);
  EXPECT_TRUE(started_not_finished(topology.workers[0]->log()).empty())
      << "it left a task it had started";
  EXPECT_EQ(outcome.max_attempts, 1) << "a task ran twice";
  EXPECT_LE(seconds_between(stopped_at, last_finished(outcome)), 60.0);
  EXPECT_LT(stop_seconds, 15.0);
  std::cout << "[redis-faults] SIGTERM: exited after " << stop_seconds << " s\n";
  topology.expect_clean_exit();
}

TEST(RedisFaults, RestartingRedisMidLoadLosesNoAcceptedTask) {
  const auto start = Clock::now();
  RedisTopology topology(2);
  ASSERT_TRUE(topology.started());

  SteadyUploader uploader(topology.api->port());
  std::this_thread::sleep_for(1500ms);
  topology.redis.kill9();
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(topology.redis.restart());
  const auto back_at = SystemClock::now();
  std::this_thread::sleep_for(2000ms);
  uploader.stop();

  std::cout << "[redis-faults] 202 " << uploader.accepted.size() << ", 503 during the outage "
            << uploader.unavailable << ", dropped " << uploader.dropped << "\n";
  EXPECT_TRUE(uploader.unexpected.empty()) << "uploads answered neither 202 nor 503";
  EXPECT_GE(uploader.unavailable, 1) << "no upload saw the outage";
  ASSERT_GE(uploader.accepted.size(), 10u);

  const Outcome outcome = await_all(topology.api->port(), ids_of(uploader.accepted), 60s);
  const double all_done = seconds_between(back_at, last_finished(outcome));
  std::cout << "[redis-faults] SUCCESS " << outcome.success << ", run more than once "
            << outcome.retried << ", all done " << all_done << " s after Redis was back, "
            << seconds_since(start) << " s\n";
  expect_all_succeeded(outcome, uploader.accepted);
  EXPECT_LE(all_done, 30.0) << "a task waited for a lease after Redis came back";
  for (const auto& worker : topology.workers) EXPECT_TRUE(worker->running());
  topology.expect_clean_exit();
}

TEST(RedisFaults, StoppedRedisGives503ThenRecovers) {
  RedisTopology topology(1);
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
