#pragma once
// TaskQueue on the embedded SQLite file: the `queue` table, filled by SqliteTaskStore::create.
// A lease is a row update (owner, random token, expiry, delivery + 1) in a write transaction, so
// any number of threads and processes on the same file never lease one task twice at once. A
// freed lease keeps a marker owner (kHandedBack, kWorkerDead) that tells the next lease why.
// Blocked lease() calls wake at once when this process creates or releases work (WorkSignal),
// and look at the file every poll_interval for work from other processes and expired leases.
// Lease expiry is wall-clock time (Unix ms) so that every process on the file agrees on it; a
// clock stepped forward by more than the lease makes leases expire early (the task runs twice).
// Thread safety: every method from any thread at once.

#include <atomic>
#include <functional>
#include <memory>

#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_queue_config.h"
#include "tasks/task_queue.h"

namespace image_resize::tasks {

class SqliteTaskQueue final : public TaskQueue {
 public:
  // Refuses an invalid config.
  static core::Result<std::unique_ptr<SqliteTaskQueue>> open(
      std::shared_ptr<SqliteDatabase> database, const SqliteQueueConfig& config);

  // Oldest first within a priority. An expired lease is older than any entry of its priority
  // that was never leased (entries are leased in order), so it comes first, as the port asks.
  // After interrupt(), returns nullopt at once without leasing: a worker that is shutting down
  // does not take new work.
  core::Result<std::optional<Lease>> lease(const std::string& consumer,
                                           std::chrono::milliseconds wait) override;
  // A lease whose token no longer matches (it expired and another consumer holds the task now,
  // or it was already acked) is ignored and ok: the new owner's lease stays.
  core::Status ack(const Lease& lease) override;
  // Ignored the same way when the token no longer matches.
  core::Status release(const Lease& lease, std::chrono::milliseconds delay) override;
  core::Status retry(const Lease& lease, std::chrono::milliseconds delay) override;
  core::Result<bool> renew(const Lease& lease) override;
  core::Result<std::size_t> release_all(const std::string& consumer) override;
  // Reads the heartbeats of the `workers` table (SqliteWorkerRegistry) in the same file.
  core::Result<std::size_t> reclaim_from_silent_workers(std::chrono::milliseconds silence) override;
  std::chrono::milliseconds lease_duration() const override { return config_.lease_duration; }
  // Sticky: every later lease() returns nullopt at once too.
  void interrupt() override;
  core::Result<QueueDepth> depth() override;
  core::Result<OldestWaiting> oldest_waiting() override;

  // Frees every lease in the file at once, keeping delivery counts (the run they were handed to
  // did count as an attempt). For `serve` at startup: it holds the data dir's lock, so every
  // lease in the file belongs to a previous run that died. Returns how many were freed.
  core::Result<std::size_t> expire_all_leases();

 private:
  SqliteTaskQueue(std::shared_ptr<SqliteDatabase> database, SqliteQueueConfig config);
  // One non-blocking attempt.
  core::Result<std::optional<Lease>> try_lease(const std::string& consumer);
  // A cheap read: is any entry free to lease? Spares idle pollers the write lock.
  core::Result<bool> has_free_entry();
  // Runs the UPDATE `sql` (bound by `bind`) that frees leases, and wakes waiting consumers when
  // it freed any. Returns how many.
  core::Result<std::size_t> free_leases(const char* sql,
                                        const std::function<void(SqliteStatement&)>& bind);
  // release() and retry(): frees the lease from `delay` on, taking back `uncount` (0 or 1) from
  // its delivery.
  core::Status free_lease(const Lease& lease, int uncount, std::chrono::milliseconds delay);

  // Constant after construction.
  const std::shared_ptr<SqliteDatabase> database_;
  const SqliteQueueConfig config_;

  std::atomic<bool> interrupted_{false};
};

}  // namespace image_resize::tasks
