#include "tasks/sqlite/sqlite_task_store.h"

#include <algorithm>
#include <string>

#include "tasks/batch_json.h"
#include "tasks/sqlite/sqlite_task_row.h"

namespace image_resize::tasks {
namespace {

// Runs one statement with the bound id (?1) and whatever `bind` adds. Deferred: a state change
// a power cut undoes leaves the task leased or queued, and it is run again.
template <class Bind>
core::Status update_task(SqliteDatabase& database, const char* sql, Bind bind) {
  return database.write(
      [&](SqliteConnection& connection) -> core::Status {
        auto statement = connection.prepare(sql);
        if (!statement.ok()) return statement.error();
        bind(*statement);
        return statement->run();
      },
      Commit::deferred);
}

// A task with a callback_url that ends owes a webhook: pending, with its outbox entry due at
// `at`, in the transaction of the final state so that a crash cannot separate them.
core::Status owe_webhook(SqliteConnection& connection, const core::TaskId& id, core::TimePoint at) {
  auto pending = connection.prepare(
      "UPDATE tasks SET webhook_state = 'pending', webhook_attempts = 0, webhook_last_status = 0 "
      "WHERE id = ?1 AND callback_url <> ''");
  if (!pending.ok()) return pending.error();
  pending->bind_text(1, id.str());
  if (auto updated = pending->run(); !updated.ok()) return updated;
  if (connection.changes() == 0) return {};
  auto entry = connection.prepare(
      "INSERT INTO webhooks (task_id, due_at) VALUES (?1, ?2) "
      "ON CONFLICT (task_id) DO UPDATE SET due_at = excluded.due_at, claimed_until = 0");
  if (!entry.ok()) return entry.error();
  entry->bind_text(1, id.str());
  entry->bind_int(2, core::to_unix_ms(at));
  return entry->run();
}

// A terminal transition: `sql` (bound by `bind`) records the outcome, then the webhook is owed.
// Deferred like update_task: a finish a power cut undoes is redone, and its webhook with it.
template <class Bind>
core::Status finish_task(SqliteDatabase& database, const core::TaskId& id, core::TimePoint at,
                         const char* sql, Bind bind) {
  return database.write(
      [&](SqliteConnection& connection) -> core::Status {
        auto statement = connection.prepare(sql);
        if (!statement.ok()) return statement.error();
        bind(*statement);
        if (auto finished = statement->run(); !finished.ok()) return finished;
        return owe_webhook(connection, id, at);
      },
      Commit::deferred);
}

// The task's row and its queue row, inside the caller's write transaction.
core::Status insert_task(SqliteConnection& connection, const core::TaskRecord& task) {
  auto insert_task = connection.prepare(kInsertTaskSql);
  if (!insert_task.ok()) return insert_task.error();
  bind_task_row(*insert_task, task);
  if (auto inserted = insert_task->run(); !inserted.ok()) return inserted;

  auto enqueue = connection.prepare("INSERT INTO queue (task_id, priority) VALUES (?1, ?2)");
  if (!enqueue.ok()) return enqueue.error();
  enqueue->bind_text(1, task.id.str());
  enqueue->bind_int(2, static_cast<std::int64_t>(task.spec.priority));
  return enqueue->run();
}

core::Status insert_batch(SqliteConnection& connection, const core::BatchRecord& batch) {
  auto insert =
      connection.prepare("INSERT INTO batches (id, expires_at, body) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.error();
  insert->bind_text(1, batch.id.str());
  insert->bind_int(2, core::to_unix_ms(batch.expires_at));
  insert->bind_text(3, batch_to_json(batch));
  return insert->run();
}

// The answer recorded under (owner, key) that is still live at `now`.
core::Result<std::optional<core::IdempotentAnswer>> read_answer(SqliteConnection& connection,
                                                                std::string_view owner,
                                                                std::string_view key,
                                                                core::TimePoint now) {
  auto select = connection.prepare(
      "SELECT fingerprint, location, body, expires_at FROM idempotent_answers "
      "WHERE owner = ?1 AND key = ?2 AND expires_at > ?3");
  if (!select.ok()) return select.error();
  select->bind_text(1, owner);
  select->bind_text(2, key);
  select->bind_int(3, core::to_unix_ms(now));
  auto row = select->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<core::IdempotentAnswer>();
  return std::optional<core::IdempotentAnswer>(
      core::IdempotentAnswer{.owner = std::string(owner),
                             .key = std::string(key),
                             .fingerprint = select->text(0),
                             .location = select->text(1),
                             .body = select->text(2),
                             .expires_at = core::from_unix_ms(select->int64(3))});
}

// Records `answer` unless a live one holds its key: then returns that one and records nothing.
core::Result<std::optional<core::IdempotentAnswer>> claim_answer(
    SqliteConnection& connection, const core::IdempotentAnswer& answer) {
  auto earlier = read_answer(connection, answer.owner, answer.key, core::now());
  if (!earlier.ok() || *earlier) return earlier;
  auto insert = connection.prepare(
      "INSERT OR REPLACE INTO idempotent_answers (owner, key, fingerprint, location, body, "
      "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return insert.error();
  insert->bind_text(1, answer.owner);
  insert->bind_text(2, answer.key);
  insert->bind_text(3, answer.fingerprint);
  insert->bind_text(4, answer.location);
  insert->bind_text(5, answer.body);
  insert->bind_int(6, core::to_unix_ms(answer.expires_at));
  if (auto inserted = insert->run(); !inserted.ok()) return inserted.error();
  return std::optional<core::IdempotentAnswer>();
}

core::Status insert_input_user(SqliteConnection& connection, const core::TaskRecord& task) {
  if (!task.input_id) return {};
  auto insert = connection.prepare("INSERT INTO input_users (input_id, task_id) VALUES (?1, ?2)");
  if (!insert.ok()) return insert.error();
  insert->bind_text(1, task.input_id->str());
  insert->bind_text(2, task.id.str());
  return insert->run();
}

core::Status forget_input_users(SqliteConnection& connection, const core::BatchRecord& batch) {
  auto remove = connection.prepare("DELETE FROM input_users WHERE input_id = ?1");
  if (!remove.ok()) return remove.error();
  for (const core::BatchFile& file : batch.files) {
    remove->bind_text(1, file.input_id.str());
    if (auto removed = remove->run(); !removed.ok()) return removed;
    remove->reset();
  }
  return {};
}

// The batch's row and its inputs' users, inside the caller's write transaction. Sets `existed`.
core::Status delete_batch(SqliteConnection& connection, const core::BatchRecord& batch,
                          bool& existed) {
  auto remove = connection.prepare("DELETE FROM batches WHERE id = ?1");
  if (!remove.ok()) return remove.error();
  remove->bind_text(1, batch.id.str());
  if (auto removed = remove->run(); !removed.ok()) return removed;
  existed = connection.changes() > 0;
  return forget_input_users(connection, batch);
}

core::Result<core::BatchRecord> read_batch(const SqliteStatement& row) {
  return batch_from_json(row.text(0));
}

// Runs `sql` (?1 now, ?2 the most rows) and hands each row to `read_row`, which may fail.
template <class ReadRow>
core::Status each_expired(SqliteConnection& connection, const char* sql, core::TimePoint now,
                          std::size_t limit, ReadRow read_row) {
  auto select = connection.prepare(sql);
  if (!select.ok()) return select.error();
  select->bind_int(1, core::to_unix_ms(now));
  select->bind_int(2, row_limit(limit));
  while (true) {
    auto row = select->step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    if (auto read = read_row(*select); !read.ok()) return read;
  }
}

// The row `sql` selects for the id (?1), made a record by `read`; nullopt when there is none.
template <class Record, class Read>
core::Result<std::optional<Record>> read_by_id(SqliteDatabase& database, const char* sql,
                                               const core::TaskId& id, Read read) {
  std::optional<Record> found;
  auto status = database.read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare(sql);
    if (!select.ok()) return select.error();
    select->bind_text(1, id.str());
    auto row = select->step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    auto record = read(*select);
    if (!record.ok()) return record.error();
    found = std::move(record).value();
    return {};
  });
  if (!status.ok()) return status.error();
  return found;
}

}  // namespace

SqliteTaskStore::SqliteTaskStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

core::Status SqliteTaskStore::create(const core::TaskRecord& task) {
  auto created = create_all(nullptr, {task}, nullptr);
  if (!created.ok()) return created.error();
  return {};
}

core::Status SqliteTaskStore::create_batch(const core::BatchRecord& batch,
                                           const std::vector<core::TaskRecord>& tasks) {
  auto created = create_all(&batch, tasks, nullptr);
  if (!created.ok()) return created.error();
  return {};
}

core::Result<std::optional<core::IdempotentAnswer>> SqliteTaskStore::create_answered(
    const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
    const std::vector<core::TaskRecord>& tasks) {
  return create_all(batch ? &*batch : nullptr, tasks, &answer);
}

core::Result<std::optional<core::IdempotentAnswer>> SqliteTaskStore::create_all(
    const core::BatchRecord* batch, const std::vector<core::TaskRecord>& tasks,
    const core::IdempotentAnswer* answer) {
  std::optional<core::IdempotentAnswer> earlier;
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    if (answer) {
      auto claimed = claim_answer(connection, *answer);
      if (!claimed.ok()) return claimed.error();
      earlier = std::move(claimed).value();
      if (earlier) return {};
    }
    if (batch) {
      if (auto inserted = insert_batch(connection, *batch); !inserted.ok()) return inserted;
    }
    for (const core::TaskRecord& task : tasks) {
      if (auto created = insert_task(connection, task); !created.ok()) return created;
      if (auto used = insert_input_user(connection, task); !used.ok()) return used;
    }
    return {};
  });
  if (!status.ok()) return status.error();
  if (!earlier) database_->work_signal().notify();
  return earlier;
}

core::Result<std::optional<core::IdempotentAnswer>> SqliteTaskStore::find_answer(
    std::string_view owner, std::string_view key, core::TimePoint now) {
  std::optional<core::IdempotentAnswer> found;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto read = read_answer(connection, owner, key, now);
    if (!read.ok()) return read.error();
    found = std::move(read).value();
    return {};
  });
  if (!status.ok()) return status.error();
  return found;
}

core::Result<std::size_t> SqliteTaskStore::remove_expired_answers(core::TimePoint now,
                                                                  std::size_t limit) {
  std::size_t removed = 0;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto remove = connection.prepare(
            "DELETE FROM idempotent_answers WHERE rowid IN (SELECT rowid FROM idempotent_answers "
            "WHERE expires_at <= ?1 LIMIT ?2)");
        if (!remove.ok()) return remove.error();
        remove->bind_int(1, core::to_unix_ms(now));
        remove->bind_int(2, row_limit(limit));
        if (auto run = remove->run(); !run.ok()) return run;
        removed = static_cast<std::size_t>(connection.changes());
        return {};
      },
      Commit::deferred);
  if (!status.ok()) return status.error();
  return removed;
}

core::Result<std::optional<core::BatchRecord>> SqliteTaskStore::get_batch(const core::TaskId& id) {
  return read_by_id<core::BatchRecord>(*database_, "SELECT body FROM batches WHERE id = ?1", id,
                                       read_batch);
}

core::Result<bool> SqliteTaskStore::remove_batch(const core::BatchRecord& batch) {
  bool existed = false;
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    return delete_batch(connection, batch, existed);
  });
  if (!status.ok()) return status.error();
  return existed;
}

core::Result<std::vector<core::BatchRecord>> SqliteTaskStore::remove_expired_batches(
    core::TimePoint now, std::size_t limit) {
  std::vector<core::BatchRecord> expired;
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    auto selected = each_expired(
        connection, "SELECT body FROM batches WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2",
        now, limit, [&](const SqliteStatement& row) -> core::Status {
          auto batch = read_batch(row);
          if (!batch.ok()) return batch.error();
          expired.push_back(std::move(batch).value());
          return {};
        });
    if (!selected.ok()) return selected;
    for (const core::BatchRecord& batch : expired) {
      bool existed = false;
      if (auto removed = delete_batch(connection, batch, existed); !removed.ok()) return removed;
    }
    return {};
  });
  if (!status.ok()) return status.error();
  return expired;
}

// Every batch has the same TTL, so the latest expiry is the latest created (batches_by_expiry).
core::Result<std::vector<core::BatchRecord>> SqliteTaskStore::recent_batches(std::size_t limit) {
  return read_rows<core::BatchRecord>(
      *database_, "SELECT body FROM batches ORDER BY expires_at DESC LIMIT ?1", limit, read_batch);
}

core::Result<bool> SqliteTaskStore::release_input(const core::TaskId& input,
                                                  const core::TaskId& task) {
  bool unused = false;
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    auto remove =
        connection.prepare("DELETE FROM input_users WHERE input_id = ?1 AND task_id = ?2");
    if (!remove.ok()) return remove.error();
    remove->bind_text(1, input.str());
    remove->bind_text(2, task.str());
    if (auto removed = remove->run(); !removed.ok()) return removed;
    auto users = connection.prepare("SELECT 1 FROM input_users WHERE input_id = ?1 LIMIT 1");
    if (!users.ok()) return users.error();
    users->bind_text(1, input.str());
    auto row = users->step();
    if (!row.ok()) return row.error();
    unused = !*row;
    return {};
  });
  if (!status.ok()) return status.error();
  return unused;
}

core::Result<std::optional<core::TaskRecord>> SqliteTaskStore::get(const core::TaskId& id) {
  return read_by_id<core::TaskRecord>(*database_, kSelectTaskSql, id, read_task_row);
}

core::Status SqliteTaskStore::mark_started(const core::TaskId& id, int attempt,
                                           core::TimePoint at) {
  return update_task(*database_,
                     "UPDATE tasks SET state = 'STARTED', started_at = ?2, attempts = ?3 "
                     "WHERE id = ?1 AND state NOT IN ('SUCCESS', 'FAILURE')",
                     [&](SqliteStatement& statement) {
                       statement.bind_text(1, id.str());
                       statement.bind_int(2, core::to_unix_ms(at));
                       statement.bind_int(3, std::int64_t{attempt});
                     });
}

core::Status SqliteTaskStore::mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                                             core::TimePoint at) {
  return finish_task(*database_, id, at,
                     "UPDATE tasks SET state = 'SUCCESS', finished_at = ?2, output_width = ?3, "
                     "output_height = ?4, output_format = ?5, output_bytes = ?6, output_etag = ?7, "
                     "output_blurhash = ?8, output_dominant_colour = ?9, failure_code = NULL, "
                     "failure_message = NULL, failure_source_status = NULL "
                     "WHERE id = ?1",
                     [&](SqliteStatement& statement) {
                       statement.bind_text(1, id.str());
                       statement.bind_int(2, core::to_unix_ms(at));
                       statement.bind_int(3, std::int64_t{output.width});
                       statement.bind_int(4, std::int64_t{output.height});
                       statement.bind_text(5, core::to_string(output.format));
                       statement.bind_int(6, static_cast<std::int64_t>(output.bytes));
                       statement.bind_text(7, output.etag);
                       statement.bind_text(8, output.blurhash);
                       statement.bind_text(9, output.dominant_colour);
                     });
}

core::Status SqliteTaskStore::mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                                          core::TimePoint at) {
  return finish_task(*database_, id, at,
                     "UPDATE tasks SET state = 'FAILURE', finished_at = ?2, failure_code = ?3, "
                     "failure_message = ?4, failure_source_status = ?5, output_width = NULL, "
                     "output_height = NULL, output_format = NULL, output_bytes = NULL, "
                     "output_etag = NULL, output_blurhash = NULL, output_dominant_colour = NULL "
                     "WHERE id = ?1",
                     [&](SqliteStatement& statement) {
                       statement.bind_text(1, id.str());
                       statement.bind_int(2, core::to_unix_ms(at));
                       statement.bind_text(3, core::to_string(failure.code));
                       statement.bind_text(4, failure.message);
                       statement.bind_int(5, std::int64_t{failure.source_status});
                     });
}

core::Result<bool> SqliteTaskStore::remove(const core::TaskId& id) {
  bool existed = false;
  // The queue and webhooks rows go with it (ON DELETE CASCADE).
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    auto remove_task = connection.prepare("DELETE FROM tasks WHERE id = ?1");
    if (!remove_task.ok()) return remove_task.error();
    remove_task->bind_text(1, id.str());
    if (auto removed = remove_task->run(); !removed.ok()) return removed;
    existed = connection.changes() > 0;
    return {};
  });
  if (!status.ok()) return status.error();
  return existed;
}

core::Result<std::vector<core::TaskId>> SqliteTaskStore::remove_expired(core::TimePoint now,
                                                                        std::size_t limit) {
  std::vector<std::string> expired;
  auto status = database_->write([&](SqliteConnection& connection) -> core::Status {
    auto selected = each_expired(
        connection, "SELECT id FROM tasks WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2", now,
        limit, [&](const SqliteStatement& row) -> core::Status {
          expired.push_back(row.text(0));
          return {};
        });
    if (!selected.ok()) return selected;
    auto remove_task = connection.prepare("DELETE FROM tasks WHERE id = ?1");
    if (!remove_task.ok()) return remove_task.error();
    for (const std::string& id : expired) {
      remove_task->bind_text(1, id);
      if (auto deleted = remove_task->run(); !deleted.ok()) return deleted;
      remove_task->reset();
    }
    return {};
  });
  if (!status.ok()) return status.error();
  std::vector<core::TaskId> removed;
  removed.reserve(expired.size());
  for (const std::string& text : expired) {
    if (auto id = core::TaskId::parse(text)) removed.push_back(*id);
  }
  return removed;
}

core::Result<std::vector<core::TaskRecord>> SqliteTaskStore::recent_failures(std::size_t limit) {
  return read_task_rows(*database_, kSelectRecentFailuresSql, std::min<std::size_t>(limit, 1000));
}

core::Status SqliteTaskStore::ping() {
  return database_->read([](SqliteConnection& connection) -> core::Status {
    auto count = connection.query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'tasks'");
    if (!count.ok()) return count.error();
    return {};
  });
}

}  // namespace image_resize::tasks
