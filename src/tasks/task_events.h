#pragma once
// Port: "this task finished" notifications, so that long-polls in any process wake at once.
// In `serve` the worker pool and the HTTP server share a process and need no port; in the
// scaled-out mode a worker publishes and every `api` process listens (Redis pub/sub).
// Notifications are hints, not a record: one may be lost (e.g. while a connection is being
// re-established), so a waiter still re-reads the task at its own deadline.
// Thread safety: publish_finished may be called from any thread at once.

#include "core/task_id.h"

namespace image_resize::tasks {

class TaskEvents {
 public:
  virtual ~TaskEvents() = default;

  // The task reached SUCCESS or FAILURE. Best effort: a failure to publish is logged, not
  // returned, since the task's state is already recorded and waiters re-read it anyway.
  virtual void publish_finished(const core::TaskId& id) = 0;
};

}  // namespace image_resize::tasks
