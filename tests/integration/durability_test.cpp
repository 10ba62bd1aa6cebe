// The promise of `serve`: a task that got its 202 is never lost. A server under load is killed
// with SIGKILL (or stopped with SIGTERM) and restarted on the same data dir; every accepted task
// must then end SUCCESS (or FAILURE with a reason) within a bounded time: none 404, none stuck.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kOneWorker{"--workers", "1", "--lease", "2s", "--shutdown-grace", "10s"};

// Uploads `count` tasks from `threads` clients; stops early when the server goes away.
class Submitter {
 public:
  Submitter(std::uint16_t port, int count, int threads) {
    const std::string photo = fixture("photo.jpg");
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, port, count, photo] {
        HttpClient http(port, 10s);
        for (int i = next_++; i < count; i = next_++) {
          const HttpResponse response = submit(http, photo, {{"width", std::to_string(40 + i % 50)}});
          if (response.status == 202) {
            std::lock_guard lock(mutex_);
            accepted_.push_back(task_id_of(response));
          } else if (response.status == 0) {
            return;  // the server is gone
          } else {
            std::lock_guard lock(mutex_);
            unexpected_.push_back(response.status);
          }
        }
      });
    }
  }
  ~Submitter() { join(); }

  void join() {
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  std::vector<std::string> accepted() {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  std::vector<int> unexpected() {
    std::lock_guard lock(mutex_);
    return unexpected_;
  }

 private:
  std::atomic<int> next_{0};
  std::mutex mutex_;
  std::vector<std::string> accepted_;  // guarded by mutex_
  std::vector<int> unexpected_;        // guarded by mutex_
  std::vector<std::thread> threads_;
};

struct Outcome {
  int success = 0, failure = 0, not_found = 0, unfinished = 0, retried = 0, max_attempts = 0;
  std::vector<std::string> problems;
};

// Waits (with ?wait, from 4 clients) for every id to end, and counts how each ended.
Outcome await_all(std::uint16_t port, const std::vector<std::string>& ids, std::chrono::seconds budget) {
  Outcome outcome;
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  const auto deadline = Clock::now() + budget;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      HttpClient http(port, 40s);
      for (std::size_t i = next++; i < ids.size(); i = next++) {
        nlohmann::json status;
        int http_status = 0;
        do {
          const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count();
          const HttpResponse response = http.get(std::string(kStatusPath) + ids[i] + "?wait=" +
                                                 std::to_string(std::clamp<long>(left, 0, 30)));
          http_status = response.status;
          status = response.json();
        } while (http_status == 200 && !is_terminal(status) && Clock::now() < deadline);
        std::lock_guard lock(mutex);
        const std::string state = http_status == 200 ? status.value("status", "") : "";
        if (http_status == 404) {
          ++outcome.not_found;
          outcome.problems.push_back(ids[i] + ": 404");
        } else if (state == "SUCCESS") {
          ++outcome.success;
        } else if (state == "FAILURE" && !status["error"].value("code", "").empty()) {
          ++outcome.failure;
        } else {
          ++outcome.unfinished;
          outcome.problems.push_back(ids[i] + ": HTTP " + std::to_string(http_status) + " " + status.dump());
        }
        const int attempts = status.is_object() ? status.value("attempts", 0) : 0;
        if (attempts > 1) ++outcome.retried;
        outcome.max_attempts = std::max(outcome.max_attempts, attempts);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return outcome;
}

void expect_all_ended(const Outcome& outcome, std::size_t accepted) {
  EXPECT_EQ(outcome.not_found, 0) << "accepted tasks lost";
  EXPECT_EQ(outcome.unfinished, 0) << "accepted tasks stuck";
  EXPECT_EQ(static_cast<std::size_t>(outcome.success + outcome.failure), accepted);
  for (std::size_t i = 0; i < outcome.problems.size() && i < 20; ++i) ADD_FAILURE() << outcome.problems[i];
}

TEST(Durability, EveryAcceptedTaskSurvivesASigkillMidLoad) {
  constexpr int kTasks = 300;
  // Killed while uploads still arrive and a backlog waits, the worker busy: uploads are faster
  // than resizes with one worker, so after half the uploads only a few tasks are done.
  constexpr std::size_t kKillAfterAccepted = kTasks / 2;
  constexpr std::size_t kKillAfterSucceeded = 10;
  testing::ScratchDir dir;
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
  const std::vector<std::string> accepted = submitter.accepted();
  EXPECT_TRUE(submitter.unexpected().empty()) << "uploads answered neither 202 nor by a dead server";
  ASSERT_GE(accepted.size(), kKillAfterAccepted);
  ASSERT_GE(done_before_kill, kKillAfterSucceeded) << first->log_tail();
  ASSERT_LT(done_before_kill, accepted.size()) << "every task had finished before the kill: nothing tested";

  auto second = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(second->started());
  const Outcome outcome = await_all(second->port(), accepted, 90s);
  std::cout << "[durability] accepted " << accepted.size() << ", finished before SIGKILL "
            << done_before_kill << ", after restart: SUCCESS " << outcome.success << ", FAILURE "
            << outcome.failure << ", 404 " << outcome.not_found << ", unfinished " << outcome.unfinished
            << ", run more than once " << outcome.retried << "\n";
  ::testing::Test::RecordProperty("accepted", static_cast<int>(accepted.size()));
  ::testing::Test::RecordProperty("finished_before_kill", static_cast<int>(done_before_kill));
  expect_all_ended(outcome, accepted.size());
  EXPECT_EQ(outcome.failure, 0) << "valid images should not fail";
  // One crash costs a task at most one extra run. (A reclaimed lease need not mean a re-run:
  // the kill may have come after the task was recorded SUCCESS but before its ack.)
  EXPECT_LE(outcome.max_attempts, 2);
  EXPECT_EQ(second->terminate(), 0) << second->log_tail();
}

TEST(Durability, SigtermDrainsExitsZeroAndEveryAcceptedTaskEndsAfterARestart) {
  constexpr int kTasks = 40;
  testing::ScratchDir dir;
  const auto data_dir = dir.path() / "data";
  auto first = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(first->started());
  std::vector<std::string> accepted;
  {
    Submitter submitter(first->port(), kTasks, 2);
    submitter.join();
    accepted = submitter.accepted();
  }
  ASSERT_EQ(accepted.size(), static_cast<std::size_t>(kTasks));

  // A client long-polling the last task while the server stops: it must not hold the exit up
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
  EXPECT_EQ(first->count_in_log(" info stopped"), 1U) << first->log_tail();

  auto second = start_server(kOneWorker, data_dir);
  ASSERT_TRUE(second->started());
  const Outcome outcome = await_all(second->port(), accepted, 60s);
  expect_all_ended(outcome, accepted.size());
  EXPECT_EQ(outcome.success, kTasks);
  EXPECT_EQ(second->terminate(), 0) << second->log_tail();
}

}  // namespace
}  // namespace image_resize::integration
