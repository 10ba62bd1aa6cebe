// The promise of `serve`: a task that got its 202 is never lost. A server under load is killed
// with SIGKILL (or stopped with SIGTERM) and restarted on the same data dir; every accepted task
// must then end SUCCESS (or FAILURE with a reason) within a bounded time: none 404, none stuck.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "integration/api_helpers.h"
#include "integration/load_tools.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kOneWorker{"--workers",        "1",  "--lease", "2s",
                                          "--shutdown-grace", "10s"};

void expect_all_ended(const Outcome& outcome, std::size_t accepted) {
  EXPECT_EQ(outcome.not_found, 0) << "accepted tasks lost";
  EXPECT_EQ(outcome.unfinished, 0) << "accepted tasks stuck";
  EXPECT_EQ(static_cast<std::size_t>(outcome.success + outcome.failure), accepted);
  for (std::size_t i = 0; i < outcome.problems.size() && i < 20; ++i)
    ADD_FAILURE() << outcome.problems[i];
}

TEST(Durability, EveryAcceptedTaskSurvivesASigkillMidLoad) {
  constexpr int kTasks = 400;
  // Killed while uploads still arrive, a backlog waits and the worker is busy: with one worker
  // uploads outrun resizes, so after 250 uploads a few dozen tasks are done.
  constexpr std::size_t kKillAfterAccepted = 250;
  constexpr std::size_t kKillAfterSucceeded = 10;
  testing::TempDir dir{"image-resize-it-"};
  const auto data_dir = dir.path() / "data";
  auto first = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(first->started());

  Submitter submitter(first->port(), kTasks, 4);
  const auto give_up = Clock::now() + 60s;
  while ((first->count_in_log("task accepted") < kKillAfterAccepted ||
          first->count_in_log("task succeeded") < kKillAfterSucceeded) &&
         Clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  first->kill9();
  submitter.join();
  const std::size_t done_before_kill = first->count_in_log("task succeeded");
  const std::map<std::string, int> answered = submitter.accepted();
  // A task the server logged as accepted is on disk even when the kill beat its 202 to the
  // client: those must end too.
  const std::vector<std::string> accepted = accepted_in_log(first->log());
  EXPECT_TRUE(submitter.unexpected().empty())
      << "uploads answered neither 202 nor by a dead server";
  for (const auto& [id, width] : answered) {
    EXPECT_NE(std::find(accepted.begin(), accepted.end(), id), accepted.end())
        << id << " got a 202 but was not logged";
  }
  ASSERT_LT(answered.size(), static_cast<std::size_t>(kTasks))
      << "the uploads had all ended before the kill";
  ASSERT_GE(done_before_kill, kKillAfterSucceeded) << first->log_tail();
  ASSERT_LT(done_before_kill, accepted.size())
      << "every task had finished before the kill: nothing tested";

  auto second = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(second->started());
  const Outcome outcome = await_all(second->port(), accepted, 90s);
  std::cout << "[durability] 202 answers " << answered.size() << ", accepted in the log "
            << accepted.size() << ", finished before SIGKILL " << done_before_kill
            << "; after restart: SUCCESS " << outcome.success << ", FAILURE " << outcome.failure
            << ", 404 " << outcome.not_found << ", unfinished " << outcome.unfinished
            << ", run more than once " << outcome.retried << "\n";
  ::testing::Test::RecordProperty("accepted", static_cast<int>(accepted.size()));
  ::testing::Test::RecordProperty("finished_before_kill", static_cast<int>(done_before_kill));
  expect_all_ended(outcome, accepted.size());
  expect_right_results(outcome, answered);
  EXPECT_EQ(outcome.failure, 0) << "valid images should not fail";
  // One crash costs a task at most one extra run. (A reclaimed lease need not mean a re-run:
  // the kill may have come after the task was recorded SUCCESS but before its ack.)
  EXPECT_LE(outcome.max_attempts, 2);
  EXPECT_EQ(second->terminate(), 0) << second->log_tail();
}

TEST(Durability, SigtermDrainsExitsZeroAndEveryAcceptedTaskEndsAfterARestart) {
  constexpr int kTasks = 80;
  testing::TempDir dir{"image-resize-it-"};
  const auto data_dir = dir.path() / "data";
  auto first = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(first->started());
  std::map<std::string, int> answered;
  {
    // Large photos, so that a backlog is still waiting when the stop comes.
    Submitter submitter(first->port(), kTasks, 2, large_photo());
    submitter.join();
    answered = submitter.accepted();
  }
  ASSERT_EQ(answered.size(), static_cast<std::size_t>(kTasks));
  std::vector<std::string> accepted;
  for (const auto& [id, width] : answered) accepted.push_back(id);

  // A client long-polling a queued task while the server stops: it must not hold the exit up
  // past the grace, and it must get an answer or a closed connection, not a hang.
  std::thread waiter([port = first->port(), id = accepted.back()] {
    HttpClient http(port, 40s);
    const HttpResponse response = http.get(std::string(kStatusPath) + id + "?wait=30");
    EXPECT_NE(response.error, "timeout");
  });
  std::this_thread::sleep_for(100ms);
  const auto stopping = Clock::now();
  EXPECT_EQ(first->terminate(30s), 0) << first->log_tail();
  EXPECT_LT(Clock::now() - stopping, 14s) << "SIGTERM took longer than the 10 s grace";
  waiter.join();
  EXPECT_EQ(first->count_in_log(" info stopped"), first->process_count()) << first->log_tail();
  const std::size_t done_before_stop = first->count_in_log("task succeeded");
  std::cout << "[durability] accepted " << kTasks << ", finished before SIGTERM "
            << done_before_stop << "\n";
  EXPECT_LT(done_before_stop, static_cast<std::size_t>(kTasks))
      << "all done before the stop: the restart is untested";

  auto second = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(second->started());
  const Outcome outcome = await_all(second->port(), accepted, 60s);
  expect_all_ended(outcome, accepted.size());
  expect_right_results(outcome, answered);
  EXPECT_EQ(outcome.success, kTasks);
  EXPECT_EQ(outcome.max_attempts, 1) << "a drained stop should not make a task run twice";
  EXPECT_EQ(second->terminate(), 0) << second->log_tail();
}

}  // namespace
}  // namespace image_resize::integration
