#pragma once
// Port: the durable record of every task (SQLite in `serve`, Redis hashes in the scaled-out mode).
// Thread safety: every method may be called from any thread at once; implementations
// synchronise internally. Calls may block on disk or network: never call them on an I/O thread,
// except get() where reads_in_place() says so.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "core/idempotent_answer.h"
#include "core/result.h"
#include "core/task.h"

namespace image_resize::tasks {

// A result that an upload with the same content key may reuse (docs/API.md "Repeated uploads").
struct ReusableResult {
  core::TaskId result_id;  // the result blob's key
  core::TaskOutput output;
  bool operator==(const ReusableResult&) const = default;
};

// A task remove_expired deleted.
struct ExpiredTask {
  core::TaskId id;
  // The result blob to remove with it: its own, or a shared one it was the last task to use.
  // nullopt: other tasks still read its result.
  std::optional<core::TaskId> result;
  bool operator==(const ExpiredTask&) const = default;
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  // Records a new PENDING task and enqueues it in the same transaction: once this returns ok the
  // task survives a crash and will be leased by some worker. The caller has already stored the
  // input blob.
  // A task already SUCCESS with result_id and output set (a reused result, find_result) is not
  // enqueued: it becomes a user of that result (release_result), in the same transaction. Fails
  // with ErrorCode::result_gone when that result is no longer reusable (its last task went
  // meanwhile): the caller stores the upload as a new task instead.
  virtual core::Status create(const core::TaskRecord& task) = 0;

  // Records a batch and all its PENDING tasks, enqueued, in one transaction: either all of them
  // exist afterwards or none does. Each task whose input_id is set becomes a user of that input
  // (release_input). Tasks that reuse a result are recorded as create() records them (and the
  // whole batch fails with result_gone when one result is gone). The caller has already stored
  // the inputs.
  virtual core::Status create_batch(const core::BatchRecord& batch,
                                    const std::vector<core::TaskRecord>& tasks) = 0;
  // create_batch() when `batch` is given, else create() of the one task, that also records
  // `answer` (the upload carried an Idempotency-Key) in the same transaction. When a live answer
  // (expires_at in the future) holds the same owner and key already, nothing is created and that
  // earlier answer is returned instead: two requests with one key never both create.
  virtual core::Result<std::optional<core::IdempotentAnswer>> create_answered(
      const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
      const std::vector<core::TaskRecord>& tasks) = 0;
  // The live answer recorded under (owner, key), or nullopt.
  virtual core::Result<std::optional<core::IdempotentAnswer>> find_answer(std::string_view owner,
                                                                          std::string_view key,
                                                                          core::TimePoint now) = 0;
  // Deletes up to `limit` answers whose expires_at <= now; how many. (A store whose records
  // expire on their own returns 0.)
  virtual core::Result<std::size_t> remove_expired_answers(core::TimePoint now,
                                                           std::size_t limit) = 0;
  virtual core::Result<std::optional<core::BatchRecord>> get_batch(const core::TaskId& id) = 0;
  // Deletes the batch record (as get_batch read it) and its inputs' users, not its tasks. false
  // when there was none.
  virtual core::Result<bool> remove_batch(const core::BatchRecord& batch) = 0;
  // Deletes up to `limit` batches whose expires_at <= now, oldest first, with their inputs' users
  // as remove_batch does, and returns them, so that the caller can remove their inputs (their
  // tasks expire on their own).
  virtual core::Result<std::vector<core::BatchRecord>> remove_expired_batches(
      core::TimePoint now, std::size_t limit) = 0;
  // Up to `limit` batches, the most recently created first (for the dashboard). Batches expired
  // but not yet swept are included; callers compare expires_at themselves.
  virtual core::Result<std::vector<core::BatchRecord>> recent_batches(std::size_t limit) = 0;
  // `task` no longer needs the shared input `input` (it ended, or was deleted). true when no task
  // uses it any more: the caller removes the blob. Calling it again for the same task is
  // harmless, so a redelivered task that ends twice does not count twice.
  virtual core::Result<bool> release_input(const core::TaskId& input, const core::TaskId& task) = 0;

  // The result an earlier task with this content key produced and that is still stored, or
  // nullopt. mark_succeeded records one for a task with a content_key (the first of each key).
  virtual core::Result<std::optional<ReusableResult>> find_result(
      const std::string& content_key) = 0;
  // `task` no longer reads the result blob `result` (it was deleted, or expired). true when no
  // task uses it any more: the caller removes the blob. The result is then no longer reusable
  // (find_result misses it), in the same transaction, so that no new task comes to share a blob
  // about to go. Calling it again for the same task is harmless.
  virtual core::Result<bool> release_result(const core::TaskId& result,
                                            const core::TaskId& task) = 0;

  // The task, or nullopt when there is none. Expired-but-not-yet-swept tasks are still returned;
  // callers compare expires_at themselves.
  virtual core::Result<std::optional<core::TaskRecord>> get(const core::TaskId& id) = 0;
  // True when get() reads a local file and never waits on a writer or the network, so that an
  // I/O thread may call it in place: a status poll then costs no hop to the blocking pool, which
  // costs more than the read itself.
  virtual bool reads_in_place() const { return false; }

  // The worker began attempt number `attempt` (1-based): state STARTED, started_at, attempts.
  // No effect on a task that was removed meanwhile, or that is already terminal.
  virtual core::Status mark_started(const core::TaskId& id, int attempt, core::TimePoint at) = 0;
  // Terminal transitions. No effect on a removed task (a DELETE wins over a late worker).
  // The SUCCESS of a task with a content_key also makes it a user of its result and, unless its
  // key has one already, records that result as reusable (find_result), in the same transaction.
  virtual core::Status mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                                      core::TimePoint at) = 0;
  virtual core::Status mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                                   core::TimePoint at) = 0;

  // Deletes the task and its queue entry. false when there was no such task.
  virtual core::Result<bool> remove(const core::TaskId& id) = 0;

  // Deletes up to `limit` tasks whose expires_at <= now (and their queue entries) and returns
  // them, so that the caller can remove their blobs. A task that shared its result is released
  // from it as release_result does, in the same transaction.
  virtual core::Result<std::vector<ExpiredTask>> remove_expired(core::TimePoint now,
                                                                std::size_t limit) = 0;

  // Up to `limit` tasks that ended FAILURE, the most recent first (for the dashboard).
  virtual core::Result<std::vector<core::TaskRecord>> recent_failures(std::size_t limit) = 0;

  // A cheap round trip, for /readyz.
  virtual core::Status ping() = 0;
};

}  // namespace image_resize::tasks
