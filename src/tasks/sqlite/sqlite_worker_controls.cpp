#include "tasks/sqlite/sqlite_worker_controls.h"

namespace image_resize::tasks {
namespace {

constexpr const char* kLatest =
    "SELECT COALESCE(MAX(MAX(concurrency_seq, paused_seq)), 0) FROM worker_controls";

// The controls of `target`; all empty when no command named it.
core::Result<TargetControls> read_target(SqliteConnection& connection, const std::string& target) {
  auto select = connection.prepare(
      "SELECT concurrency, concurrency_seq, paused, paused_seq FROM worker_controls "
      "WHERE target = ?1");
  if (!select.ok()) return select.error();
  select->bind_text(1, target);
  auto row = select->step();
  if (!row.ok()) return row.error();
  TargetControls controls;
  if (!*row) return controls;
  if (auto concurrency = select->optional_int64(0)) {
    controls.concurrency = static_cast<int>(*concurrency);
  }
  controls.concurrency_sequence = select->int64(1);
  if (auto paused = select->optional_int64(2)) controls.paused = *paused != 0;
  controls.paused_sequence = select->int64(3);
  return controls;
}

}  // namespace

SqliteWorkerControls::SqliteWorkerControls(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

core::Result<std::int64_t> SqliteWorkerControls::issue(const std::string& target,
                                                       const WorkerCommand& command) {
  std::int64_t sequence = 0;
  auto written = database_->write([&](SqliteConnection& connection) -> core::Status {
    auto latest = connection.query_int64(kLatest);
    if (!latest.ok()) return latest.error();
    sequence = *latest + 1;
    auto current = read_target(connection, target);
    if (!current.ok()) return current.error();
    const TargetControls next = current->with(command, sequence);
    auto upsert = connection.prepare(
        "INSERT OR REPLACE INTO worker_controls "
        "(target, concurrency, concurrency_seq, paused, paused_seq) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!upsert.ok()) return upsert.error();
    upsert->bind_text(1, target);
    upsert->bind_optional_int(2, next.concurrency);
    upsert->bind_int(3, next.concurrency_sequence);
    upsert->bind_optional_int(
        4, next.paused ? std::optional<std::int64_t>(*next.paused ? 1 : 0) : std::nullopt);
    upsert->bind_int(5, next.paused_sequence);
    return upsert->run();
  });
  if (!written.ok()) return written.error();
  return sequence;
}

core::Result<std::int64_t> SqliteWorkerControls::latest() {
  std::int64_t latest = 0;
  auto read = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto value = connection.query_int64(kLatest);
    if (!value.ok()) return value.error();
    latest = *value;
    return {};
  });
  if (!read.ok()) return read.error();
  return latest;
}

core::Result<WorkerCommand> SqliteWorkerControls::settings(const std::string& name,
                                                           std::int64_t issued_after) {
  WorkerCommand settings;
  auto read = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto own = read_target(connection, name);
    if (!own.ok()) return own.error();
    auto every = read_target(connection, std::string(kEveryWorker));
    if (!every.ok()) return every.error();
    settings = settings_for(*own, *every, issued_after);
    return {};
  });
  if (!read.ok()) return read.error();
  return settings;
}

}  // namespace image_resize::tasks
