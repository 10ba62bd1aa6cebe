#include "tasks/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "tasks/sqlite/sqlite_schema.h"

namespace image_resize::tasks {
namespace {

core::Error invalid_config(std::string message) {
  return core::Error::make(core::ErrorCode::internal, "Invalid configuration",
                           "sqlite config: " + std::move(message));
}

core::Error io_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           std::string("sqlite: ")
                               .append(what)
                               .append(" ")
                               .append(path.string())
                               .append(": ")
                               // strerror is not thread-safe; this is called from any thread
                               .append(std::system_category().message(error_number)));
}

// Pragmas every connection needs. synchronous is per connection, not stored in the file: NORMAL
// writes a commit to the WAL without syncing it (GroupCommit syncs durable ones), and still
// syncs around checkpoints, so the file is never corrupted by a power cut.
core::Result<std::unique_ptr<SqliteConnection>> open_connection(const SqliteDatabaseConfig& config,
                                                                bool reader) {
  auto connection = SqliteConnection::open(config.path, config.busy_timeout);
  if (!connection.ok()) return connection.error();
  if (auto status = (*connection)->execute("PRAGMA synchronous = NORMAL"); !status.ok()) {
    return status.error();
  }
  if (reader) {
    if (auto status = (*connection)->execute("PRAGMA query_only = ON"); !status.ok()) {
      return status.error();
    }
  }
  return std::move(connection).value();
}

core::Status switch_to_wal(SqliteConnection& connection) {
  // Stored in the file: after the first open this is a no-op.
  auto mode = connection.prepare("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  auto row = mode->step();
  if (!row.ok()) return row.error();
  if (!*row || mode->text(0) != "wal") {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "sqlite: could not switch the database to WAL mode");
  }
  return {};
}

// Runs body between `begin` and COMMIT, rolling back when anything fails.
core::Status run_transaction(SqliteConnection& connection, const char* begin,
                             const SqliteDatabase::Body& body) {
  if (auto status = connection.run(begin); !status.ok()) return status;
  core::Status status = body(connection);
  if (status.ok()) status = connection.run("COMMIT");
  // SQLite may already have rolled back on its own (e.g. on SQLITE_FULL).
  if (!status.ok() && !connection.in_autocommit()) (void)connection.execute("ROLLBACK");
  return status;
}

// The WAL file of an open database in WAL mode (SQLite creates it on the first read), synced
// once with its directory: its own directory entry must be durable before any commit in it is.
core::Result<core::UniqueFd> open_wal(const std::filesystem::path& database) {
  const std::filesystem::path path = std::filesystem::path(database).concat("-wal");
  core::UniqueFd wal(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!wal.valid()) return io_error("open", path, errno);
  if (::fdatasync(wal.get()) != 0) return io_error("fdatasync", path, errno);
  const std::filesystem::path directory = std::filesystem::absolute(database).parent_path();
  const core::UniqueFd entries(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!entries.valid()) return io_error("open directory", directory, errno);
  if (::fsync(entries.get()) != 0) return io_error("fsync directory", directory, errno);
  return wal;
}

}  // namespace

core::Status SqliteDatabaseConfig::validate() const {
  if (path.empty()) return invalid_config("path is empty");
  if (busy_timeout.count() < 0) return invalid_config("busy_timeout is negative");
  if (max_readers < 1) return invalid_config("max_readers must be at least 1");
  return {};
}

core::Result<std::shared_ptr<SqliteDatabase>> SqliteDatabase::open(
    const SqliteDatabaseConfig& config) {
  if (auto valid = config.validate(); !valid.ok()) return valid.error();
  auto writer = open_connection(config, /*reader=*/false);
  if (!writer.ok()) return writer.error();
  if (auto status = switch_to_wal(**writer); !status.ok()) return status.error();
  // BEGIN IMMEDIATE: two processes opening a new file at once do not both create the tables.
  auto migrated = run_transaction(**writer, "BEGIN IMMEDIATE", [](SqliteConnection& connection) {
    return migrate_schema(connection, kSchemaVersion);
  });
  if (!migrated.ok()) return migrated.error();
  auto wal = open_wal(config.path);  // also makes the migration durable
  if (!wal.ok()) return wal.error();
  return std::shared_ptr<SqliteDatabase>(
      new SqliteDatabase(config, std::move(writer).value(), std::move(wal).value()));
}

SqliteDatabase::SqliteDatabase(SqliteDatabaseConfig config,
                               std::unique_ptr<SqliteConnection> writer, core::UniqueFd wal)
    : config_(std::move(config)),
      wal_(std::move(wal)),
      group_commit_([this]() -> core::Status {
        if (::fdatasync(wal_.get()) != 0) {
          return io_error("fdatasync", std::filesystem::path(config_.path).concat("-wal"), errno);
        }
        return {};
      }),
      writer_(std::move(writer)) {}

core::Status SqliteDatabase::write(const Body& body, Commit commit) {
  std::uint64_t ticket = 0;
  {
    const std::lock_guard lock(writer_mutex_);
    if (auto status = run_transaction(*writer_, "BEGIN IMMEDIATE", body); !status.ok()) {
      return status;
    }
    ticket = group_commit_.written();
  }
  if (commit == Commit::deferred) return {};
  return group_commit_.wait_durable(ticket);
}

core::Status SqliteDatabase::read(const Body& body) {
  auto reader = acquire_reader();
  if (!reader.ok()) return reader.error();
  // A plain BEGIN takes no lock until the first read, and in WAL mode never blocks the writer.
  core::Status status = run_transaction(**reader, "BEGIN", body);
  return_reader(std::move(reader).value());
  return status;
}

core::Result<std::unique_ptr<SqliteConnection>> SqliteDatabase::acquire_reader() {
  {
    std::unique_lock lock(readers_mutex_);
    reader_returned_.wait(
        lock, [&] { return !idle_readers_.empty() || open_readers_ < config_.max_readers; });
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
    ++open_readers_;  // reserve the slot; open outside the lock
  }
  auto reader = open_connection(config_, /*reader=*/true);
  if (!reader.ok()) {
    std::lock_guard lock(readers_mutex_);
    --open_readers_;
    reader_returned_.notify_one();
  }
  return reader;
}

void SqliteDatabase::return_reader(std::unique_ptr<SqliteConnection> reader) {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(reader));
  }
  reader_returned_.notify_one();
}

}  // namespace image_resize::tasks
