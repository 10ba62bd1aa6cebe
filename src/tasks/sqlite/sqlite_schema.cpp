#include "tasks/sqlite/sqlite_schema.h"

#include <array>
#include <string>

namespace image_resize::tasks {
namespace {

// Step i turns a version-i file into a version-(i+1) file. Append; never edit a shipped step.
constexpr std::array<const char*, 10> kMigrations = {
    // 0 → 1: tasks hold every field of core::TaskRecord (enums by their text names, times as
    // Unix milliseconds); queue holds one row per task still to be finished.
    R"sql(
CREATE TABLE tasks (
  id TEXT PRIMARY KEY NOT NULL,
  state TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  fit TEXT NOT NULL,
  format TEXT NOT NULL,
  quality INTEGER NOT NULL,
  background TEXT,
  priority TEXT NOT NULL,
  input_format TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  output_width INTEGER,
  output_height INTEGER,
  output_format TEXT,
  output_bytes INTEGER,
  failure_code TEXT,
  failure_message TEXT,
  owner TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX tasks_by_expiry ON tasks (expires_at);

-- seq (the rowid) is the insertion order: always above every existing row's.
-- priority: 0 high, 1 normal, 2 low. lease_expires_at: Unix ms, 0 when not leased.
CREATE TABLE queue (
  seq INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL UNIQUE REFERENCES tasks (id) ON DELETE CASCADE,
  priority INTEGER NOT NULL,
  delivery INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_token TEXT,
  lease_expires_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX queue_by_order ON queue (priority, seq);
)sql",
    // 1 → 2: the dashboard's sources: worker heartbeats, and failures by time.
    R"sql(
CREATE TABLE workers (
  name TEXT PRIMARY KEY NOT NULL,
  last_seen INTEGER NOT NULL,
  status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX tasks_by_outcome ON tasks (state, finished_at);
)sql",
    // 2 → 3: the result's entity tag, so that a conditional GET does not read the blob.
    R"sql(
ALTER TABLE tasks ADD COLUMN output_etag TEXT;
)sql",
    // 3 → 4: images by URL and webhooks. webhook_* are NULL until a task with a callback_url
    // ends. webhooks holds one row per delivery still to be made: due_at (Unix ms) is when it is
    // next due, and claimed_until, when not 0, says that due_at was moved by a claim rather than
    // by a backoff, so that release_claims can tell the two apart.
    R"sql(
ALTER TABLE tasks ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN callback_url TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN webhook_state TEXT;
ALTER TABLE tasks ADD COLUMN webhook_attempts INTEGER;
ALTER TABLE tasks ADD COLUMN webhook_last_status INTEGER;
ALTER TABLE tasks ADD COLUMN failure_source_status INTEGER;
CREATE INDEX tasks_by_failing_webhook ON tasks (finished_at)
  WHERE webhook_state = 'failed' OR (webhook_state = 'pending' AND webhook_attempts > 0);

CREATE TABLE webhooks (
  task_id TEXT PRIMARY KEY NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  due_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX webhooks_by_due ON webhooks (due_at);
)sql",
    // 4 → 5: gravity, dpr and the encoding flags. The defaults are core::ResizeSpec's, so that
    // tasks stored before read as they were asked.
    R"sql(
ALTER TABLE tasks ADD COLUMN gravity TEXT NOT NULL DEFAULT 'centre';
ALTER TABLE tasks ADD COLUMN dpr INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN progressive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN lossless INTEGER NOT NULL DEFAULT 0;
)sql",
    // 5 → 6: strip, crop and the formats a format=auto client accepts (ResizeSpec's defaults
    // again), and the result's placeholder.
    R"sql(
ALTER TABLE tasks ADD COLUMN strip INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN crop TEXT;
ALTER TABLE tasks ADD COLUMN accepts TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN output_blurhash TEXT;
ALTER TABLE tasks ADD COLUMN output_dominant_colour TEXT;
)sql",
    // 6 → 7: what operators asked of each worker, and of every worker (target '*'): each field
    // with the number of the command that set it (tasks::TargetControls).
    R"sql(
CREATE TABLE worker_controls (
  target TEXT PRIMARY KEY NOT NULL,
  concurrency INTEGER,
  concurrency_seq INTEGER NOT NULL DEFAULT 0,
  paused INTEGER,
  paused_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql",
    // 7 → 8: batches (core::BatchRecord as JSON), the tasks' batch, shared input and variant,
    // and which tasks still need each shared input.
    R"sql(
ALTER TABLE tasks ADD COLUMN batch_id TEXT;
ALTER TABLE tasks ADD COLUMN input_id TEXT;
ALTER TABLE tasks ADD COLUMN variant TEXT NOT NULL DEFAULT '';
CREATE TABLE batches (
  id TEXT PRIMARY KEY NOT NULL,
  expires_at INTEGER NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX batches_by_expiry ON batches (expires_at);
CREATE TABLE input_users (
  input_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  PRIMARY KEY (input_id, task_id)
) WITHOUT ROWID;
)sql",
    // 8 → 9: the answers of uploads with an Idempotency-Key (core::IdempotentAnswer), kept
    // with their tasks so that a retry gets the same answer.
    R"sql(
CREATE TABLE idempotent_answers (
  owner TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  location TEXT NOT NULL,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (owner, key)
);
CREATE INDEX idempotent_answers_by_expiry ON idempotent_answers (expires_at);
)sql",
    // 9 → 10: results reused by later uploads (issue #20): each task's content key and the result
    // it reads when shared, the reusable result of each content key, and which tasks read each
    // result that may be shared.
    R"sql(
ALTER TABLE tasks ADD COLUMN result_id TEXT;
ALTER TABLE tasks ADD COLUMN content_key TEXT NOT NULL DEFAULT '';
CREATE TABLE reusable_results (
  content_key TEXT PRIMARY KEY NOT NULL,
  result_id TEXT NOT NULL UNIQUE,
  output_width INTEGER NOT NULL,
  output_height INTEGER NOT NULL,
  output_format TEXT NOT NULL,
  output_bytes INTEGER NOT NULL,
  output_etag TEXT NOT NULL,
  output_blurhash TEXT NOT NULL,
  output_dominant_colour TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE result_users (
  result_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  PRIMARY KEY (result_id, task_id)
) WITHOUT ROWID;
)sql",
};

}  // namespace

core::Status migrate_schema(SqliteConnection& connection, int target_version) {
  auto current = connection.query_int64("PRAGMA user_version");
  if (!current.ok()) return current.error();
  if (*current > target_version || target_version > static_cast<int>(kMigrations.size())) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "sqlite: the database has schema version " + std::to_string(*current) +
                                 " but this build knows versions up to " +
                                 std::to_string(target_version));
  }
  for (auto version = *current; version < target_version; ++version) {
    if (auto status = connection.execute(kMigrations[static_cast<std::size_t>(version)]);
        !status.ok()) {
      return status;
    }
  }
  if (*current == target_version) return {};
  // PRAGMA takes no bound parameters; the number is ours, not input.
  const std::string set_version = "PRAGMA user_version = " + std::to_string(target_version);
  return connection.execute(set_version.c_str());
}

}  // namespace image_resize::tasks
