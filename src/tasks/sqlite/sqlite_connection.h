#pragma once
// A thin RAII layer over one sqlite3 connection: opening with the pragmas every connection needs,
// cached prepared statements, and SQLite result codes turned into core::Error. Nothing here knows
// about tasks; SqliteDatabase decides which thread uses which connection.
// Thread safety: none. A connection is used by one thread at a time (SqliteDatabase ensures it).

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace image_resize::tasks {

// The error for SQLite result code `code`: backend_unavailable when the database stayed locked
// (by another process) longer than the busy timeout, internal otherwise.
core::Error sqlite_error(int code, std::string_view context, std::string_view detail);

// `limit` as a LIMIT parameter: counts beyond what SQLite's integers hold mean "no limit" anyway.
inline std::int64_t row_limit(std::size_t limit) {
  constexpr auto kMaxRows = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(limit < kMaxRows ? limit : kMaxRows);
}

// One use of a cached prepared statement: bind, step, read columns. Resets the statement and
// clears its bindings when it goes out of scope, so the next use starts clean.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* statement, std::string_view sql);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQL (?1, ?2, ...). A bind error is reported by step().
  void bind_int(int index, std::int64_t value);
  void bind_text(int index, std::string_view text);
  void bind_optional_int(int index, std::optional<std::int64_t> value);
  void bind_optional_text(int index, const std::optional<std::string>& text);
  void bind_null(int index);

  // true: a row is ready to read; false: the statement is done.
  core::Result<bool> step();
  // Runs a statement that returns no rows.
  core::Status run();
  // Ready to run again, with new bindings (those not bound again keep their values).
  void reset();

  // Columns are 0-based, as in sqlite3_column_*.
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  void note_bind(int code);

  sqlite3_stmt* statement_;
  std::string_view sql_;
  int bind_error_ = SQLITE_OK;
};

class SqliteConnection {
 public:
  // Opens (creating when missing) the database file in multi-thread mode with foreign keys on
  // and the given busy timeout, so that a lock held by another process is waited for.
  static core::Result<std::unique_ptr<SqliteConnection>> open(
      const std::filesystem::path& path, std::chrono::milliseconds busy_timeout);
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs one or more statements that return no rows (pragmas, DDL, BEGIN/COMMIT).
  core::Status execute(const char* sql);
  // A cached prepared statement for `sql`, which must be a string literal (it is the cache key
  // and outlives the statement).
  core::Result<SqliteStatement> prepare(const char* sql);
  // Runs `sql` (one statement that returns no rows, a string literal) from the statement cache:
  // for what every transaction runs (BEGIN, COMMIT), which execute() would parse each time.
  core::Status run(const char* sql);
  // Runs `sql` (one statement) and returns the first column of its first row as an integer.
  core::Result<std::int64_t> query_int64(const char* sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  // true outside an explicit transaction (also after SQLite rolled one back on its own).
  bool in_autocommit() const;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace image_resize::tasks
