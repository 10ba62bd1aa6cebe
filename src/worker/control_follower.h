#pragma once
// Applies to this worker process what operators asked of it (tasks::WorkerControls): its
// concurrency and its pause. Run before each heartbeat, so that the beat after a command
// already reports it. Commands issued before this process started apply only with
// --persist-pool-size; a failed read is logged and tried again at the next beat.
// Thread safety: follow() from one thread (the heartbeat's).

#include <cstdint>
#include <optional>
#include <string>

#include "tasks/worker_controls.h"
#include "worker/worker_pool.h"

namespace image_resize::worker {

class ControlFollower {
 public:
  ControlFollower(tasks::WorkerControls& controls, WorkerPool& pool, std::string name,
                  bool persist);

  void follow();

 private:
  // Constant after construction.
  tasks::WorkerControls& controls_;
  WorkerPool& pool_;
  const std::string name_;

  // Commands numbered above this apply; unknown until the first read succeeds.
  std::optional<std::int64_t> issued_after_;
};

}  // namespace image_resize::worker
