#pragma once
// TaskStore on the embedded SQLite file: one row per task in `tasks`, and create() also puts the
// task on the queue (a row in `queue`) in the same transaction, so an accepted task is never
// lost between the two. See SqliteDatabase for durability and threading.
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/sqlite/sqlite_database.h"
#include "tasks/task_store.h"

namespace image_resize::tasks {

class SqliteTaskStore final : public TaskStore {
 public:
  explicit SqliteTaskStore(std::shared_ptr<SqliteDatabase> database);

  // Also wakes consumers of this process blocked in SqliteTaskQueue::lease().
  core::Status create(const core::TaskRecord& task) override;
  // Also wakes consumers like create().
  core::Status create_batch(const core::BatchRecord& batch,
                            const std::vector<core::TaskRecord>& tasks) override;
  // Also wakes consumers like create() (unless an earlier answer is returned).
  core::Result<std::optional<core::IdempotentAnswer>> create_answered(
      const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
      const std::vector<core::TaskRecord>& tasks) override;
  core::Result<std::optional<core::IdempotentAnswer>> find_answer(std::string_view owner,
                                                                  std::string_view key,
                                                                  core::TimePoint now) override;
  core::Result<std::size_t> remove_expired_answers(core::TimePoint now, std::size_t limit) override;
  core::Result<std::optional<core::BatchRecord>> get_batch(const core::TaskId& id) override;
  core::Result<bool> remove_batch(const core::BatchRecord& batch) override;
  core::Result<std::vector<core::BatchRecord>> remove_expired_batches(core::TimePoint now,
                                                                      std::size_t limit) override;
  core::Result<std::vector<core::BatchRecord>> recent_batches(std::size_t limit) override;
  core::Result<bool> release_input(const core::TaskId& input, const core::TaskId& task) override;
  core::Result<std::optional<ReusableResult>> find_result(const std::string& content_key) override;
  core::Result<bool> release_result(const core::TaskId& result, const core::TaskId& task) override;
  core::Result<std::optional<core::TaskRecord>> get(const core::TaskId& id) override;
  // WAL mode: a reader never waits for the writer, and the page is usually in the page cache.
  bool reads_in_place() const override { return true; }
  core::Status mark_started(const core::TaskId& id, int attempt, core::TimePoint at) override;
  // Replaces any earlier outcome (a task that ran twice keeps the last one); clears the other.
  // A task with a callback_url owes its webhook from then on: state pending, and an entry of
  // SqliteWebhookOutbox due at `at`, in the same transaction.
  core::Status mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                              core::TimePoint at) override;
  core::Status mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                           core::TimePoint at) override;
  core::Result<bool> remove(const core::TaskId& id) override;
  // Oldest expiry first, in one transaction.
  core::Result<std::vector<ExpiredTask>> remove_expired(core::TimePoint now,
                                                        std::size_t limit) override;
  core::Result<std::vector<core::TaskRecord>> recent_failures(std::size_t limit) override;
  core::Status ping() override;

 private:
  // The batch (if any), its tasks and the answer (if any) in one transaction, as create_answered.
  core::Result<std::optional<core::IdempotentAnswer>> create_all(
      const core::BatchRecord* batch, const std::vector<core::TaskRecord>& tasks,
      const core::IdempotentAnswer* answer);

  // Constant after construction.
  const std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace image_resize::tasks
