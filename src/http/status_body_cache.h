#pragma once
// The status bodies of finished tasks, rendered once and kept: clients poll a finished task's
// status far more often than anything else, and building and serialising its JSON tree was about
// 15 % of a status request (perf, under wrk). A body is used only for a record equal to the one
// it was rendered from, so a task finished again, or changed in any way, is rendered afresh;
// the cache needs no notice from the store and is right for every store behind it.
// Thread safety: every method from any thread at once.

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/task.h"

namespace image_resize::http {

class StatusBodyCache {
 public:
  // `slots` bodies at most (about 1 KiB each with their record); a task takes the slot its id
  // hashes to, replacing whatever was there.
  explicit StatusBodyCache(std::size_t slots);

  // The body of GET /api/v1/status for `task`: task_status_json(task), dumped. Kept only for
  // finished tasks, whose record no longer changes while they are polled.
  std::shared_ptr<const std::string> body_for(const core::TaskRecord& task);

 private:
  struct Slot {
    core::TaskRecord task;
    std::shared_ptr<const std::string> body;
  };
  std::mutex mutex_;
  std::vector<std::optional<Slot>> slots_;  // guarded by mutex_
};

}  // namespace image_resize::http
