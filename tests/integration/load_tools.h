#pragma once
// Load for the durability tests: uploads from several client threads that stop when the server
// dies, and a wait for hundreds of tasks at once that counts how each one ended.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace image_resize::integration {

// Uploads `image` (photo.jpg when empty) `count` times from `threads` clients, each upload with
// its own width (40..89), until done or the server stops answering.
class Submitter {
 public:
  Submitter(std::uint16_t port, int count, int threads, std::string image = {});
  Submitter(const Submitter&) = delete;
  Submitter& operator=(const Submitter&) = delete;
  ~Submitter() { join(); }

  void join();
  // Task id → requested width, for every 202.
  std::map<std::string, int> accepted();
  // Statuses other than 202 (a dead server, status 0, is not counted).
  std::vector<int> unexpected();

 private:
  std::atomic<int> next_{0};
  std::mutex mutex_;
  std::map<std::string, int> accepted_;  // guarded by mutex_
  std::vector<int> unexpected_;          // guarded by mutex_
  std::vector<std::thread> threads_;
};

// Uploads photo.jpg from one client thread until stopped, as a client would: a 503 (with
// Retry-After) or a dropped connection is counted, and the next upload follows 20 ms later.
class SteadyUploader {
 public:
  explicit SteadyUploader(std::uint16_t port);
  ~SteadyUploader() { stop(); }
  SteadyUploader(const SteadyUploader&) = delete;
  SteadyUploader& operator=(const SteadyUploader&) = delete;

  void stop();
  // Read these after stop().
  std::map<std::string, int> accepted;           // task id → requested width
  int unavailable = 0;                           // 503 with Retry-After
  std::map<std::string, int> unavailable_codes;  // their error codes, counted
  int dropped = 0;
  std::vector<int> unexpected;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A 2000×1500 photo-like JPEG (about 1 MB): a resize long enough (tens of ms) that a worker is
// always in the middle of some under load.
const std::string& large_photo();

struct Outcome {
  int success = 0;
  int failure = 0;     // FAILURE with an error code
  int not_found = 0;   // lost
  int unfinished = 0;  // still PENDING or STARTED when the budget ran out, or no answer
  int retried = 0;     // attempts > 1
  int max_attempts = 0;
  std::map<std::string, int> result_width;            // of each SUCCESS
  std::map<std::string, nlohmann::json> last_status;  // each task's last status answer
  std::vector<std::string> problems;
};

// The ids of `accepted` (task id → requested width).
std::vector<std::string> ids_of(const std::map<std::string, int>& accepted);
// Each SUCCESS has the width its upload asked for: no result went to the wrong task.
void expect_right_results(const Outcome& outcome, const std::map<std::string, int>& asked);
// Every task ended SUCCESS with the width it asked for; none 404, none stuck.
void expect_all_succeeded(const Outcome& outcome, const std::map<std::string, int>& asked);

// Waits (?wait from 4 clients) until every id ends or `budget` passes, and counts the endings.
Outcome await_all(std::uint16_t port, const std::vector<std::string>& ids,
                  std::chrono::seconds budget);

// Seconds from `start` to now, and between two wall-clock times.
double seconds_since(std::chrono::steady_clock::time_point start);
double seconds_between(std::chrono::system_clock::time_point from,
                       std::chrono::system_clock::time_point to);
// The time of a status answer's field ("started_at", "finished_at"), or the epoch.
std::chrono::system_clock::time_point time_of(const nlohmann::json& status, const char* field);
// The latest finished_at of every task of `outcome`, or the epoch.
std::chrono::system_clock::time_point last_finished(const Outcome& outcome);

// The ids of every "task accepted" line of a server log.
std::vector<std::string> accepted_in_log(const std::string& log);

}  // namespace image_resize::integration
