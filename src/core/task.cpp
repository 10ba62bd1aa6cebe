#include "core/task.h"

namespace image_resize::core {

std::string_view to_string(TaskState state) {
  switch (state) {
    case TaskState::pending: return "PENDING";
    case TaskState::started: return "STARTED";
    case TaskState::success: return "SUCCESS";
    case TaskState::failure: return "FAILURE";
  }
  return "PENDING";
}

std::optional<TaskState> parse_task_state(std::string_view text) {
  for (TaskState state :
       {TaskState::pending, TaskState::started, TaskState::success, TaskState::failure}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

std::string_view to_string(WebhookState state) {
  switch (state) {
    case WebhookState::pending: return "pending";
    case WebhookState::delivered: return "delivered";
    case WebhookState::failed: return "failed";
  }
  return "pending";
}

std::optional<WebhookState> parse_webhook_state(std::string_view text) {
  for (WebhookState state :
       {WebhookState::pending, WebhookState::delivered, WebhookState::failed}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

TaskRecord TaskRecord::pending(TaskId id, ResizeSpec spec, ImageFormat input_format,
                               TimePoint created_at, TimePoint expires_at) {
  return TaskRecord{.id = std::move(id),
                    .state = TaskState::pending,
                    .spec = std::move(spec),
                    .input_format = input_format,
                    .created_at = created_at,
                    .started_at = std::nullopt,
                    .finished_at = std::nullopt,
                    .expires_at = expires_at,
                    .attempts = 0,
                    .output = std::nullopt,
                    .failure = std::nullopt,
                    .owner = {},
                    .source_url = {},
                    .callback_url = {},
                    .webhook = std::nullopt};
}

}  // namespace image_resize::core
