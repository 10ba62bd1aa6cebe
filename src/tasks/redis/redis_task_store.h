#pragma once
// TaskStore on Redis, for the scaled-out mode: a hash per task, a sorted set by expiry, and
// create() also puts the task on its priority's stream (RedisTaskQueue), all in one Lua script
// so that an accepted task is never without its queue entry. Key layout: redis_keys.h.
// Durability is Redis' own: run it with appendonly yes (appendfsync always, or everysec and
// accept losing up to a second of accepted tasks on a Redis crash).
// Thread safety: every method from any thread at once.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/redis/redis_client.h"
#include "tasks/task_store.h"

namespace image_resize::tasks {

class RedisTaskStore final : public TaskStore {
 public:
  explicit RedisTaskStore(std::shared_ptr<RedisClient> client);

  // Fails (internal) if a task with this id already exists.
  core::Status create(const core::TaskRecord& task) override;
  core::Status create_batch(const core::BatchRecord& batch,
                            const std::vector<core::TaskRecord>& tasks) override;
  core::Result<std::optional<core::IdempotentAnswer>> create_answered(
      const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
      const std::vector<core::TaskRecord>& tasks) override;
  core::Result<std::optional<core::IdempotentAnswer>> find_answer(std::string_view owner,
                                                                  std::string_view key,
                                                                  core::TimePoint now) override;
  // Nothing to do: an answer's hash expires at its expires_at.
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
  core::Status mark_started(const core::TaskId& id, int attempt, core::TimePoint at) override;
  // Replaces any earlier outcome (a task that ran twice keeps the last one); clears the other.
  // A task with a callback_url owes its webhook from then on: state pending, and an entry of
  // RedisWebhookOutbox due at `at`, in the same script.
  core::Status mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                              core::TimePoint at) override;
  core::Status mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                           core::TimePoint at) override;
  core::Result<bool> remove(const core::TaskId& id) override;
  // Oldest expiry first, at most 10,000 per call; also finds tasks whose hash Redis already
  // expired (see RedisConfig::hash_ttl_grace).
  core::Result<std::vector<ExpiredTask>> remove_expired(core::TimePoint now,
                                                        std::size_t limit) override;
  // From the failures list, skipping tasks removed or no longer FAILURE since.
  core::Result<std::vector<core::TaskRecord>> recent_failures(std::size_t limit) override;
  core::Status ping() override;

 private:
  // When Redis drops a task's hash (and a batch's key) that the sweeper has not removed.
  core::TimePoint ttl_deadline(core::TimePoint expires_at) const;
  // The batch (if any), its tasks and the answer (if any) in one script, as create_answered.
  core::Result<std::optional<core::IdempotentAnswer>> create_all(
      const core::BatchRecord* batch, const std::vector<core::TaskRecord>& tasks,
      const core::IdempotentAnswer* answer);
  core::Status finish(const core::TaskId& id, core::TimePoint at,
                      std::span<const std::string_view> deleted, std::vector<std::string> fields,
                      bool failed);

  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;
};

}  // namespace image_resize::tasks
