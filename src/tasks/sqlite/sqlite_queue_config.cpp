#include "tasks/sqlite/sqlite_queue_config.h"

#include <string>

namespace image_resize::tasks {

core::Status SqliteQueueConfig::validate() const {
  auto invalid = [](std::string message) {
    return core::Error::make(core::ErrorCode::internal, "Invalid configuration",
                             "queue config: " + std::move(message));
  };
  if (lease_duration.count() <= 0) return invalid("lease_duration must be positive");
  if (poll_interval.count() <= 0) return invalid("poll_interval must be positive");
  return {};
}

}  // namespace image_resize::tasks
