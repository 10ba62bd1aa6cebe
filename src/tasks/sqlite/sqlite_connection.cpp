#include "tasks/sqlite/sqlite_connection.h"

#include <string>

namespace image_resize::tasks {

core::Error sqlite_error(int code, std::string_view context, std::string_view detail) {
  std::string internal = "sqlite: ";
  internal += context;
  internal += ": ";
  internal += sqlite3_errstr(code);
  if (!detail.empty()) {
    internal += " (";
    internal += detail;
    internal += ')';
  }
  const int primary = code & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return core::Error::make(core::ErrorCode::backend_unavailable,
                             "The task store is busy; try again later", std::move(internal));
  }
  return core::Error::make(core::ErrorCode::internal, "Internal error", std::move(internal));
}

SqliteStatement::SqliteStatement(sqlite3_stmt* statement, std::string_view sql)
    : statement_(statement), sql_(sql) {}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(other.statement_), sql_(other.sql_), bind_error_(other.bind_error_) {
  other.statement_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void SqliteStatement::note_bind(int code) {
  if (code != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = code;
}

void SqliteStatement::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(statement_, index, value));
}

void SqliteStatement::bind_text(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8));
}

void SqliteStatement::bind_optional_int(int index, std::optional<std::int64_t> value) {
  if (value) {
    bind_int(index, *value);
  } else {
    bind_null(index);
  }
}

void SqliteStatement::bind_optional_text(int index, const std::optional<std::string>& text) {
  if (text) {
    bind_text(index, *text);
  } else {
    bind_null(index);
  }
}

void SqliteStatement::bind_null(int index) { note_bind(sqlite3_bind_null(statement_, index)); }

core::Result<bool> SqliteStatement::step() {
  if (bind_error_ != SQLITE_OK) return sqlite_error(bind_error_, "bind", sql_);
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  std::string detail = sqlite3_errmsg(sqlite3_db_handle(statement_));
  detail += "; ";
  detail += sql_;
  return sqlite_error(code, "step", detail);
}

core::Status SqliteStatement::run() {
  auto stepped = step();
  if (!stepped.ok()) return stepped.error();
  return {};
}

void SqliteStatement::reset() { sqlite3_reset(statement_); }

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> SqliteStatement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string SqliteStatement::text(int column) const {
  const unsigned char* bytes = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (bytes == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

std::optional<std::string> SqliteStatement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

core::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(
    const std::filesystem::path& path, std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  // NOMUTEX: SQLite's own per-connection mutex is redundant, a connection is never shared.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (code != SQLITE_OK) {
    std::string detail = path.string();
    if (db != nullptr) {
      detail += ": ";
      detail += sqlite3_errmsg(db);
    }
    sqlite3_close_v2(db);
    return sqlite_error(code, "open", detail);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  auto connection = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
  // foreign_keys: a queue row is deleted with its task (ON DELETE CASCADE).
  if (auto status = connection->execute("PRAGMA foreign_keys = ON"); !status.ok())
    return status.error();
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

core::Status SqliteConnection::execute(const char* sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (code == SQLITE_OK) return {};
  std::string detail = message != nullptr ? message : "";
  sqlite3_free(message);
  detail += "; ";
  detail += sql;
  return sqlite_error(code, "exec", detail);
}

core::Result<SqliteStatement> SqliteConnection::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return SqliteStatement(found->second, sql);
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (code != SQLITE_OK) {
    std::string detail = sqlite3_errmsg(db_);
    detail += "; ";
    detail += sql;
    return sqlite_error(code, "prepare", detail);
  }
  statements_.emplace(sql, statement);
  return SqliteStatement(statement, sql);
}

core::Status SqliteConnection::run(const char* sql) {
  auto statement = prepare(sql);
  if (!statement.ok()) return statement.error();
  return statement->run();
}

core::Result<std::int64_t> SqliteConnection::query_int64(const char* sql) {
  auto statement = prepare(sql);
  if (!statement.ok()) return statement.error();
  auto row = statement->step();
  if (!row.ok()) return row.error();
  if (!*row) return sqlite_error(SQLITE_ERROR, "query returned no row", sql);
  return statement->int64(0);
}

std::int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

bool SqliteConnection::in_autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace image_resize::tasks
