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
  for (TaskState state : {TaskState::pending, TaskState::started, TaskState::success,
                          TaskState::failure}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

}  // namespace image_resize::core
