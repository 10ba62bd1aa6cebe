#pragma once
// Helpers for the SQLite-specific queue tests: a database file in a fresh temp dir with a store
// and a queue on it, and raw SQL through a separate connection (as another program would).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "contract/task_contract_fixture.h"
#include "support/temp_dir.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_task_queue.h"
#include "tasks/sqlite/sqlite_task_store.h"

namespace image_resize::tasks {

using namespace std::chrono_literals;
using contract::pending_task;

// One open of the database file: what one process (or one `serve` run) holds.
struct SqliteHandles {
  std::shared_ptr<SqliteDatabase> database;
  std::unique_ptr<SqliteTaskStore> store;
  std::unique_ptr<SqliteTaskQueue> queue;

  // Opens `path`; on failure reports it and leaves the members empty.
  static SqliteHandles open(const std::filesystem::path& path, SqliteQueueConfig config = {}) {
    SqliteHandles handles;
    auto database = SqliteDatabase::open({.path = path});
    if (!database.ok()) {
      ADD_FAILURE() << database.error().log_message();
      return handles;
    }
    auto task_queue = SqliteTaskQueue::open(*database, config);
    if (!task_queue.ok()) {
      ADD_FAILURE() << task_queue.error().log_message();
      return handles;
    }
    handles.database = *database;
    handles.store = std::make_unique<SqliteTaskStore>(*database);
    handles.queue = std::move(task_queue).value();
    return handles;
  }
  bool ok() const { return queue != nullptr; }
};

// A fresh database file, open as one process (one `serve` run) holds it.
class SqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handles_ = SqliteHandles::open(db_path());
    ASSERT_TRUE(handles_.ok());
  }
  std::filesystem::path db_path() const { return dir_.path() / "tasks.db"; }
  SqliteTaskStore& store() { return *handles_.store; }
  SqliteTaskQueue& queue() { return *handles_.queue; }
  const std::shared_ptr<SqliteDatabase>& database() { return handles_.database; }
  // Closes every connection, as a process exit would.
  void close() { handles_ = SqliteHandles{}; }

 private:
  testing::TempDir dir_;  // first: outlives the connections
  SqliteHandles handles_;
};

// Runs `sql` on a connection of its own and returns the first column of the first row as text
// ("" when there is none). Fails the test on an SQL error.
inline std::string raw_sql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string first;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return first;
  }
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  auto take_first = [](void* out, int columns, char** values, char**) {
    auto& text = *static_cast<std::string*>(out);
    if (text.empty() && columns > 0 && values[0] != nullptr) text = values[0];
    return 0;
  };
  if (sqlite3_exec(db, sql.c_str(), take_first, &first, &message) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (message != nullptr ? message : "?");
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return first;
}

}  // namespace image_resize::tasks
