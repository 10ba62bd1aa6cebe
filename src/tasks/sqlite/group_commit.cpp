#include "tasks/sqlite/group_commit.h"

namespace image_resize::tasks {

std::uint64_t GroupCommit::written() {
  const std::lock_guard lock(mutex_);
  return ++written_;
}

core::Status GroupCommit::wait_durable(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  while (durable_ < ticket) {
    if (failed_) return *failed_;
    if (syncing_) {
      synced_.wait(lock);
      continue;
    }
    // Lead: everything written up to now is in the OS, so this sync covers it.
    syncing_ = true;
    const std::uint64_t covers = written_;
    lock.unlock();
    core::Status status = sync_();
    lock.lock();
    syncing_ = false;
    ++syncs_;
    if (status.ok()) {
      durable_ = std::max(durable_, covers);
    } else if (!failed_) {
      failed_ = status.error();
    }
    synced_.notify_all();
  }
  return {};
}

std::uint64_t GroupCommit::syncs() const {
  const std::lock_guard lock(mutex_);
  return syncs_;
}

}  // namespace image_resize::tasks
