#pragma once
// A TaskStore in front of another that keeps the most recently read final tasks (SUCCESS or
// FAILURE, and their webhook delivered or failed: TaskRecord::is_final) in memory, so that polling
// a finished task's status, and fetching its result, costs no database transaction. Clients poll
// finished tasks far more often than anything else.
//
// Correct only while no other process writes the same store: a final task changes again only
// when it is finished again or removed, and here both go through this object, which then
// forgets its copy (a webhook's delivery, which goes to the store beside it, ends before its task
// is final). That holds for `serve`, which owns its data dir (DataDirLock); the Redis
// store is shared by many processes and is not wrapped.
// Thread safety: every method from any thread at once.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

#include "tasks/forwarding_task_store.h"

namespace image_resize::tasks {

class FinishedTaskCache final : public ForwardingTaskStore {
 public:
  // Keeps at most `capacity` tasks (about 1 KiB each), dropping the least recently read first.
  FinishedTaskCache(TaskStore& inner, std::size_t capacity);

  core::Result<std::optional<core::TaskRecord>> get(const core::TaskId& id) override;
  core::Status mark_started(const core::TaskId& id, int attempt, core::TimePoint at) override;
  core::Status mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                              core::TimePoint at) override;
  core::Status mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                           core::TimePoint at) override;
  core::Result<bool> remove(const core::TaskId& id) override;
  core::Result<std::vector<ExpiredTask>> remove_expired(core::TimePoint now,
                                                        std::size_t limit) override;

  std::size_t size();

 private:
  // Caches `task`, read from inner_ when forgets_ was `forgets_before`, unless a forget came since.
  void remember(const core::TaskRecord& task, std::uint64_t forgets_before);
  void forget(const core::TaskId& id);

  const std::size_t capacity_;

  std::mutex mutex_;
  std::list<core::TaskRecord> recent_;  // the most recently read first; guarded by mutex_
  std::unordered_map<core::TaskId, std::list<core::TaskRecord>::iterator>
      by_id_;                  // guarded by mutex_
  std::uint64_t forgets_ = 0;  // forget() calls so far; guarded by mutex_
};

}  // namespace image_resize::tasks
