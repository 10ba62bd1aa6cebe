#include "integration/load_tools.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "integration/api_helpers.h"
#include "synthetic_photo.h"

namespace image_resize::integration {

namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
}  // namespace

Submitter::Submitter(std::uint16_t port, int count, int threads, std::string image) {
  const std::string photo = image.empty() ? fixture("photo.jpg") : std::move(image);
  for (int t = 0; t < threads; ++t) {
    threads_.emplace_back([this, port, count, photo] {
      HttpClient http(port, 10s);
      for (int i = next_++; i < count; i = next_++) {
        const int width = 40 + i % 50;
        const HttpResponse response = submit(http, photo, {{"width", std::to_string(width)}});
        if (response.status == 0) return;  // the server is gone
        std::lock_guard lock(mutex_);
        if (response.status == 202) {
          accepted_[task_id_of(response)] = width;
        } else {
          unexpected_.push_back(response.status);
        }
      }
    });
  }
}

void Submitter::join() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

std::map<std::string, int> Submitter::accepted() {
  std::lock_guard lock(mutex_);
  return accepted_;
}

std::vector<int> Submitter::unexpected() {
  std::lock_guard lock(mutex_);
  return unexpected_;
}

SteadyUploader::SteadyUploader(std::uint16_t port)
    : thread_([this, port] {
        const std::string photo = fixture("photo.jpg");
        HttpClient http(port, 10s);
        for (int i = 0; !stop_; ++i) {
          // Every width once: a repeated upload would be answered from earlier work (no store).
          const int width = 40 + i;
          const HttpResponse response = submit(http, photo, {{"width", std::to_string(width)}});
          if (response.status == 202) {
            accepted[task_id_of(response)] = width;
          } else if (response.status == 503 && response.has_header("Retry-After")) {
            ++unavailable;
            ++unavailable_codes[response.json().value("code", "")];
          } else if (response.status == 0) {
            ++dropped;
          } else {
            unexpected.push_back(response.status);
          }
          std::this_thread::sleep_for(20ms);
        }
      }) {}

void SteadyUploader::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

const std::string& large_photo() {
  static const std::string photo =
      bench::synthetic_photo({.width = 2000, .height = 1500, .seed = 7});
  return photo;
}

Outcome await_all(std::uint16_t port, const std::vector<std::string>& ids,
                  std::chrono::seconds budget) {
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
          const auto left =
              std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count();
          const HttpResponse response = http.get(std::string(kStatusPath) + ids[i] + "?wait=" +
                                                 std::to_string(std::clamp<long>(left, 0, 30)));
          http_status = response.status;
          status = response.json();
        } while (http_status == 200 && !is_terminal(status) && Clock::now() < deadline);

        std::lock_guard lock(mutex);
        outcome.last_status[ids[i]] = status;
        const std::string state = http_status == 200 ? status.value("status", "") : "";
        if (http_status == 404) {
          ++outcome.not_found;
          outcome.problems.push_back(ids[i] + ": 404");
        } else if (state == "SUCCESS") {
          ++outcome.success;
          outcome.result_width[ids[i]] = status["result"].value("width", 0);
        } else if (state == "FAILURE" && !status["error"].value("code", "").empty()) {
          ++outcome.failure;
        } else {
          ++outcome.unfinished;
          outcome.problems.push_back(ids[i] + ": HTTP " + std::to_string(http_status) + " " +
                                     status.dump());
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

std::vector<std::string> ids_of(const std::map<std::string, int>& accepted) {
  std::vector<std::string> ids;
  for (const auto& [id, width] : accepted) ids.push_back(id);
  return ids;
}

void expect_right_results(const Outcome& outcome, const std::map<std::string, int>& asked) {
  for (const auto& [id, width] : asked) {
    const auto found = outcome.result_width.find(id);
    if (found != outcome.result_width.end()) {
      EXPECT_EQ(found->second, width) << id;
    }
  }
}

void expect_all_succeeded(const Outcome& outcome, const std::map<std::string, int>& asked) {
  EXPECT_EQ(outcome.not_found, 0) << "accepted tasks lost";
  EXPECT_EQ(outcome.unfinished, 0) << "accepted tasks stuck";
  EXPECT_EQ(outcome.failure, 0) << "valid images should not fail";
  EXPECT_EQ(static_cast<std::size_t>(outcome.success), asked.size());
  for (std::size_t i = 0; i < outcome.problems.size() && i < 20; ++i) {
    ADD_FAILURE() << outcome.problems[i];
  }
  expect_right_results(outcome, asked);
}

std::vector<std::string> accepted_in_log(const std::string& log) {
  static const std::regex kAccepted("task accepted task_id=([0-9a-f-]{36})");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), kAccepted);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1].str());
  }
  return ids;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double seconds_between(std::chrono::system_clock::time_point from,
                       std::chrono::system_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::chrono::system_clock::time_point time_of(const nlohmann::json& status, const char* field) {
  if (!status.is_object() || !status[field].is_string()) return {};
  return parse_iso8601(status[field].get<std::string>())
      .value_or(std::chrono::system_clock::time_point{});
}

std::chrono::system_clock::time_point last_finished(const Outcome& outcome) {
  std::chrono::system_clock::time_point last{};
  for (const auto& [id, status] : outcome.last_status) {
    last = std::max(last, time_of(status, "finished_at"));
  }
  return last;
}

}  // namespace image_resize::integration
