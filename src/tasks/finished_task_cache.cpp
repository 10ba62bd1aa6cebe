#include "tasks/finished_task_cache.h"

namespace image_resize::tasks {

FinishedTaskCache::FinishedTaskCache(TaskStore& inner, std::size_t capacity)
    : ForwardingTaskStore(inner), capacity_(capacity) {}

core::Result<std::optional<core::TaskRecord>> FinishedTaskCache::get(const core::TaskId& id) {
  std::uint64_t forgets_before = 0;
  {
    std::lock_guard lock(mutex_);
    if (auto found = by_id_.find(id); found != by_id_.end()) {
      recent_.splice(recent_.begin(), recent_, found->second);
      return std::optional<core::TaskRecord>(*found->second);
    }
    forgets_before = forgets_;
  }
  auto read = inner_.get(id);
  if (read.ok() && read.value() && read.value()->is_final()) {
    remember(**read, forgets_before);
  }
  return read;
}

// A task that is not finished yet is never cached: an earlier copy of it cannot exist.
core::Status FinishedTaskCache::mark_started(const core::TaskId& id, int attempt,
                                             core::TimePoint at) {
  return inner_.mark_started(id, attempt, at);
}

// Forgotten before the write, so that reads meanwhile go to the store, and after it: a get()
// that read the old row before the write does not cache it then (see forgets_).
core::Status FinishedTaskCache::mark_succeeded(const core::TaskId& id,
                                               const core::TaskOutput& output, core::TimePoint at) {
  forget(id);
  auto status = inner_.mark_succeeded(id, output, at);
  forget(id);
  return status;
}

core::Status FinishedTaskCache::mark_failed(const core::TaskId& id,
                                            const core::TaskFailure& failure, core::TimePoint at) {
  forget(id);
  auto status = inner_.mark_failed(id, failure, at);
  forget(id);
  return status;
}

core::Result<bool> FinishedTaskCache::remove(const core::TaskId& id) {
  forget(id);
  auto removed = inner_.remove(id);
  forget(id);
  return removed;
}

core::Result<std::vector<ExpiredTask>> FinishedTaskCache::remove_expired(core::TimePoint now,
                                                                         std::size_t limit) {
  auto removed = inner_.remove_expired(now, limit);
  if (removed.ok()) {
    for (const ExpiredTask& task : *removed) forget(task.id);
  }
  return removed;
}

std::size_t FinishedTaskCache::size() {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

void FinishedTaskCache::remember(const core::TaskRecord& task, std::uint64_t forgets_before) {
  std::lock_guard lock(mutex_);
  // A forget since the read began may have been of this task, with the row read before it.
  if (forgets_ != forgets_before) return;
  if (capacity_ == 0 || by_id_.contains(task.id)) return;
  recent_.push_front(task);
  by_id_.emplace(task.id, recent_.begin());
  if (by_id_.size() > capacity_) {
    by_id_.erase(recent_.back().id);
    recent_.pop_back();
  }
}

void FinishedTaskCache::forget(const core::TaskId& id) {
  std::lock_guard lock(mutex_);
  ++forgets_;
  if (auto found = by_id_.find(id); found != by_id_.end()) {
    recent_.erase(found->second);
    by_id_.erase(found);
  }
}

}  // namespace image_resize::tasks
