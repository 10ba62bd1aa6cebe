#pragma once
// Settings of the embedded (SQLite) queue.

#include <chrono>

#include "core/result.h"
#include "tasks/task_queue.h"

namespace image_resize::tasks {

struct SqliteQueueConfig {
  // How long a lease lasts from when it is taken or renewed before the task is handed out
  // again. In `serve` a crash restarts the process, whose startup frees every lease at once.
  std::chrono::milliseconds lease_duration = TaskQueue::kDefaultLeaseDuration;
  // How often a blocked lease() looks at the database again. Work created or released in this
  // process wakes waiters at once; this only bounds how late they notice work added by another
  // process, or a lease that expired. Each poll is one indexed read, so 150 ms costs little.
  std::chrono::milliseconds poll_interval{150};

  core::Status validate() const;
};

}  // namespace image_resize::tasks
