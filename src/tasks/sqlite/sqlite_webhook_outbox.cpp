#include "tasks/sqlite/sqlite_webhook_outbox.h"

#include <string>

#include "tasks/sqlite/sqlite_task_row.h"

namespace image_resize::tasks {
namespace {

// Runs `sql`, an UPDATE of the webhook fields of task ?1 to `delivery` (?2 state, ?3 attempts,
// ?4 last status).
core::Status record_delivery(SqliteConnection& connection, const core::TaskId& id,
                             const core::WebhookDelivery& delivery, const char* sql) {
  auto update = connection.prepare(sql);
  if (!update.ok()) return update.error();
  update->bind_text(1, id.str());
  update->bind_text(2, core::to_string(delivery.state));
  update->bind_int(3, std::int64_t{delivery.attempts});
  update->bind_int(4, std::int64_t{delivery.last_status});
  return update->run();
}

}  // namespace

SqliteWebhookOutbox::SqliteWebhookOutbox(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

core::Result<std::vector<core::TaskId>> SqliteWebhookOutbox::claim_due(
    core::TimePoint now, std::size_t limit, std::chrono::milliseconds claim) {
  std::vector<core::TaskId> claimed;
  if (limit == 0) return claimed;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto select = connection.prepare(
            "SELECT task_id FROM webhooks WHERE due_at <= ?1 ORDER BY due_at, task_id LIMIT ?2");
        if (!select.ok()) return select.error();
        select->bind_int(1, core::to_unix_ms(now));
        select->bind_int(2, row_limit(limit));
        std::vector<std::string> due;
        while (true) {
          auto row = select->step();
          if (!row.ok()) return row.error();
          if (!*row) break;
          due.push_back(select->text(0));
        }
        auto take = connection.prepare(
            "UPDATE webhooks SET due_at = ?2, claimed_until = ?2 WHERE task_id = ?1");
        if (!take.ok()) return take.error();
        const std::int64_t until = core::to_unix_ms(now + claim);
        for (const std::string& id : due) {
          take->reset();
          take->bind_text(1, id);
          take->bind_int(2, until);
          if (auto taken = take->run(); !taken.ok()) return taken;
          if (auto parsed = core::TaskId::parse(id)) claimed.push_back(*parsed);
        }
        return {};
      },
      Commit::deferred);
  if (!status.ok()) return status.error();
  return claimed;
}

core::Status SqliteWebhookOutbox::settle(const core::TaskId& id,
                                         const core::WebhookDelivery& delivery) {
  return database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        if (auto recorded = record_delivery(connection, id, delivery,
                                            "UPDATE tasks SET webhook_state = ?2, "
                                            "webhook_attempts = ?3, webhook_last_status = ?4 "
                                            "WHERE id = ?1");
            !recorded.ok()) {
          return recorded;
        }
        auto remove = connection.prepare("DELETE FROM webhooks WHERE task_id = ?1");
        if (!remove.ok()) return remove.error();
        remove->bind_text(1, id.str());
        return remove->run();
      },
      Commit::deferred);
}

core::Status SqliteWebhookOutbox::reschedule(const core::TaskId& id,
                                             const core::WebhookDelivery& delivery,
                                             core::TimePoint next) {
  return database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        if (auto recorded = record_delivery(
                connection, id, delivery,
                "UPDATE tasks SET webhook_state = ?2, webhook_attempts = ?3, "
                "webhook_last_status = ?4 "
                "WHERE id = ?1 AND EXISTS (SELECT 1 FROM webhooks WHERE task_id = ?1)");
            !recorded.ok()) {
          return recorded;
        }
        auto move = connection.prepare(
            "UPDATE webhooks SET due_at = ?2, claimed_until = 0 WHERE task_id = ?1");
        if (!move.ok()) return move.error();
        move->bind_text(1, id.str());
        move->bind_int(2, core::to_unix_ms(next));
        return move->run();
      },
      Commit::deferred);
}

core::Status SqliteWebhookOutbox::release_claims() {
  return database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        // A claim that already ran out is due already, at the time it ran out: keep its place.
        auto release = connection.prepare(
            "UPDATE webhooks SET due_at = min(due_at, ?1), claimed_until = 0 "
            "WHERE claimed_until <> 0");
        if (!release.ok()) return release.error();
        release->bind_int(1, core::to_unix_ms(core::now()));
        return release->run();
      },
      Commit::deferred);
}

core::Result<std::vector<core::TaskRecord>> SqliteWebhookOutbox::failing(std::size_t limit) {
  // The condition of the tasks_by_failing_webhook index, word for word, so that it is used.
  return read_task_rows(*database_,
                        "SELECT " IMAGE_RESIZE_TASK_COLUMNS
                        " FROM tasks WHERE webhook_state = 'failed' OR (webhook_state = 'pending' "
                        "AND webhook_attempts > 0) ORDER BY finished_at DESC LIMIT ?1",
                        limit);
}

core::Result<std::size_t> SqliteWebhookOutbox::backlog() {
  std::size_t count = 0;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto rows = connection.query_int64("SELECT count(*) FROM webhooks");
    if (!rows.ok()) return rows.error();
    count = static_cast<std::size_t>(*rows);
    return {};
  });
  if (!status.ok()) return status.error();
  return count;
}

}  // namespace image_resize::tasks
