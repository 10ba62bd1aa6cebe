#pragma once
// What the HTTP bench tools ask of a task the same way: why a request failed, in a line for the
// report, and the wait on a task's status until it ends (docs/API.md, `?wait`).

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.h"

namespace image_resize::bench {

constexpr int kWaitSeconds = 30;  // docs/API.md's longest ?wait
constexpr auto kTaskBudget = std::chrono::seconds(120);

// "step: HTTP 503", or "step: " and the transport error when no response came.
inline std::string failed(const char* step, const testing::HttpResponse& response) {
  std::string reason(step);
  if (response.status == 0) return reason.append(": ").append(response.error);
  return reason.append(": HTTP ").append(std::to_string(response.status));
}

// GET /api/v1/status/<id>?wait=30 until the task ends or kTaskBudget passes; "" on SUCCESS,
// else what went wrong.
inline std::string wait_for_success(testing::HttpClient& http, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + kTaskBudget;
  const std::string target = "/api/v1/status/" + id + "?wait=" + std::to_string(kWaitSeconds);
  for (;;) {
    const testing::HttpResponse status = http.get(target);
    if (status.status != 200) return failed("status", status);
    const nlohmann::json body = status.json();
    const std::string state = body.value("status", "");
    if (state == "SUCCESS") return "";
    if (state == "FAILURE") {
      return std::string("task FAILURE: ").append(body["error"].value("code", "?"));
    }
    if (std::chrono::steady_clock::now() > deadline) return "task not finished in 120 s";
  }
}

}  // namespace image_resize::bench
