#pragma once
// WebhookOutbox on the embedded SQLite file: one row per delivery still to be made in
// `webhooks` (made by SqliteTaskStore::mark_succeeded / mark_failed), and the delivery's state in
// the task's own row. A claim moves the row's due_at to the end of the claim and records that in
// claimed_until, so that release_claims brings claims forward and leaves backoffs alone.
// Writes are Commit::deferred: a power cut that undoes one makes a delivery happen again, which
// at-least-once delivery allows. See SqliteDatabase for durability and threading.
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/sqlite/sqlite_database.h"
#include "tasks/webhook_outbox.h"

namespace image_resize::tasks {

class SqliteWebhookOutbox final : public WebhookOutbox {
 public:
  explicit SqliteWebhookOutbox(std::shared_ptr<SqliteDatabase> database);

  core::Result<std::vector<core::TaskId>> claim_due(core::TimePoint now, std::size_t limit,
                                                    std::chrono::milliseconds claim) override;
  core::Status settle(const core::TaskId& id, const core::WebhookDelivery& delivery) override;
  // No effect when the entry is gone (settled by a deliverer whose claim ran out meanwhile).
  core::Status reschedule(const core::TaskId& id, const core::WebhookDelivery& delivery,
                          core::TimePoint next) override;
  core::Status release_claims() override;
  core::Result<std::vector<core::TaskRecord>> failing(std::size_t limit) override;
  core::Result<std::size_t> backlog() override;

 private:
  // Constant after construction.
  const std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace image_resize::tasks
