#pragma once
// How a core::TaskRecord maps onto a row of the `tasks` table and back: enums by their text
// names (core::to_string / parse_*), times as Unix milliseconds, optional parts as NULLs.

#include <cstddef>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/task.h"
#include "tasks/sqlite/sqlite_connection.h"
#include "tasks/sqlite/sqlite_database.h"

namespace image_resize::tasks {

// The statements that write and read a whole row. bind_task_row binds ?1 .. ?43 of the insert;
// read_task_row reads columns 0 .. 42 of the select, in the same order.
inline constexpr char kInsertTaskSql[] =
    "INSERT INTO tasks (id, state, width, height, fit, format, quality, background, priority, "
    "input_format, created_at, started_at, finished_at, expires_at, attempts, output_width, "
    "output_height, output_format, output_bytes, failure_code, failure_message, owner, "
    "output_etag, source_url, callback_url, webhook_state, webhook_attempts, "
    "webhook_last_status, failure_source_status, gravity, dpr, progressive, lossless, strip, "
    "crop, accepts, output_blurhash, output_dominant_colour, batch_id, input_id, variant, "
    "result_id, content_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, "
    "?37, ?38, ?39, ?40, ?41, ?42, ?43)";
// The columns read_task_row reads, in its order (a macro so that statements can be literals).
#define IMAGE_RESIZE_TASK_COLUMNS                                                            \
  "id, state, width, height, fit, format, quality, background, priority, input_format, "     \
  "created_at, started_at, finished_at, expires_at, attempts, output_width, output_height, " \
  "output_format, output_bytes, failure_code, failure_message, owner, output_etag, "         \
  "source_url, callback_url, webhook_state, webhook_attempts, webhook_last_status, "         \
  "failure_source_status, gravity, dpr, progressive, lossless, strip, crop, accepts, "       \
  "output_blurhash, output_dominant_colour, batch_id, input_id, variant, result_id, "        \
  "content_key"
inline constexpr char kSelectTaskSql[] =
    "SELECT " IMAGE_RESIZE_TASK_COLUMNS " FROM tasks WHERE id = ?1";
// Uses the tasks_by_outcome index.
inline constexpr char kSelectRecentFailuresSql[] =
    "SELECT " IMAGE_RESIZE_TASK_COLUMNS
    " FROM tasks WHERE state = 'FAILURE' ORDER BY finished_at DESC LIMIT ?1";

void bind_task_row(SqliteStatement& statement, const core::TaskRecord& task);
// The record in the current row. Fails (internal) on a value no build of ours writes.
core::Result<core::TaskRecord> read_task_row(const SqliteStatement& statement);
// Every row that `sql` (whose ?1 is the number of rows) returns with ?1 = `limit`, in one read
// transaction, each made a record by `read` (which may fail).
template <class Record, class Read>
core::Result<std::vector<Record>> read_rows(SqliteDatabase& database, const char* sql,
                                            std::size_t limit, Read read) {
  std::vector<Record> records;
  auto status = database.read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare(sql);
    if (!select.ok()) return select.error();
    select->bind_int(1, row_limit(limit));
    while (true) {
      auto row = select->step();
      if (!row.ok()) return row.error();
      if (!*row) return {};
      auto record = read(*select);
      if (!record.ok()) return record.error();
      records.push_back(std::move(record).value());
    }
  });
  if (!status.ok()) return status.error();
  return records;
}
// Every record that `sql` (a SELECT of IMAGE_RESIZE_TASK_COLUMNS, a string literal, whose ?1 is
// the number of rows) returns with ?1 = `limit`, in one read transaction.
core::Result<std::vector<core::TaskRecord>> read_task_rows(SqliteDatabase& database,
                                                           const char* sql, std::size_t limit);

}  // namespace image_resize::tasks
