#pragma once
// The SQLite file behind the embedded mode's TaskStore and TaskQueue: opens it in WAL mode,
// creates or migrates the schema, and runs reads and writes as transactions. A write is on disk
// before it returns (a 202 means the task survives a power cut) unless it is a
// Commit::deferred one, a step that is redone when lost (see Commit).
//
// Durable writes share their syncs (GroupCommit). The writer commits with synchronous=NORMAL,
// which writes the WAL to the OS without syncing it, and a durable write then waits, after
// releasing the writer, for an fdatasync of the WAL file that started after its commit. Other
// writes proceed meanwhile, and every commit written while a sync runs is covered by the next
// one. This is what synchronous=FULL guarantees (the WAL synced after each transaction before it
// is acknowledged) without holding every other writer behind each fsync.
//
// Connections: one writer connection behind a mutex, plus a small pool of reader connections.
// SQLite allows one writer at a time per file anyway, so in-process writers queue on our mutex
// (cheap, fair, woken at once) rather than in SQLite's busy handler (sleep-and-retry). In WAL
// mode readers never wait for the writer, so reads (get, depth, readiness) use their own
// connections and are not stuck behind a write that is fsyncing. Other processes on the same
// file meet us through SQLite's file locks and the busy timeout: nothing depends on memory
// shared with them except the WAL index, which SQLite itself manages.
// Thread safety: every method from any thread at once.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "core/unique_fd.h"
#include "tasks/sqlite/group_commit.h"
#include "tasks/sqlite/sqlite_connection.h"
#include "tasks/sqlite/work_signal.h"

namespace image_resize::tasks {

struct SqliteDatabaseConfig {
  // The database file; created with its schema when missing. Its directory must exist.
  std::filesystem::path path;
  // How long a statement waits for a lock held by another process (or by SQLite's checkpoint)
  // before failing with backend_unavailable. Long enough to ride out another process's write
  // and fsync on a slow disk; short enough that a request does not hang on a stuck process.
  std::chrono::milliseconds busy_timeout{5000};
  // Reader connections kept open. Reads are short; a few cover the HTTP threads. More readers
  // than this wait for one to come back.
  int max_readers = 4;

  core::Status validate() const;
};

// What a commit promises. Either way it survives a crash of the process (WAL mode writes it
// to the OS before COMMIT returns); the difference is a power cut or a kernel crash.
enum class Commit {
  // On disk when write() returns (an fdatasync of the WAL, shared with concurrent commits).
  durable,
  // On disk with the next durable commit or checkpoint, whichever comes first
  // (no sync of its own). For steps that a power cut may undo because the
  // task then falls back to an earlier state and is run again: a lease, a start, a finish.
  // The WAL is written in order, so a durable commit also makes every earlier one durable.
  deferred,
};

class SqliteDatabase {
 public:
  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 10;

  // Opens the file, switches it to WAL, and creates or migrates the schema. A file written by a
  // newer build (higher user_version) is refused rather than misread.
  static core::Result<std::shared_ptr<SqliteDatabase>> open(const SqliteDatabaseConfig& config);

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  using Body = std::function<core::Status(SqliteConnection&)>;
  // Runs `body` in BEGIN IMMEDIATE ... COMMIT on the writer connection: the write lock is taken
  // up front, so the transaction cannot fail half-way for lack of it. When `body` fails, the
  // transaction is rolled back and its error returned.
  core::Status write(const Body& body, Commit commit = Commit::durable);
  // Runs `body` in a read transaction (one consistent snapshot) on a reader connection.
  core::Status read(const Body& body);

  // Notified after a commit that adds or frees queue work in this process.
  WorkSignal& work_signal() { return work_signal_; }
  const SqliteDatabaseConfig& config() const { return config_; }
  // fdatasyncs of the WAL so far: at most one per durable write, fewer when they overlap.
  std::uint64_t wal_syncs() const { return group_commit_.syncs(); }

 private:
  SqliteDatabase(SqliteDatabaseConfig config, std::unique_ptr<SqliteConnection> writer,
                 core::UniqueFd wal);
  core::Result<std::unique_ptr<SqliteConnection>> acquire_reader();
  void return_reader(std::unique_ptr<SqliteConnection> reader);

  // Constant after construction.
  const SqliteDatabaseConfig config_;

  // The WAL file, for the syncs of durable writes. SQLite keeps the same file while any
  // connection is open (it deletes it when the last one closes), and writer_ stays open.
  const core::UniqueFd wal_;
  GroupCommit group_commit_;

  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by writer_mutex_

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by readers_mutex_
  int open_readers_ = 0;                                         // guarded by readers_mutex_

  WorkSignal work_signal_;
};

}  // namespace image_resize::tasks
