#pragma once
// The tables of the embedded store and queue, and the steps that bring an older file up to date.
// PRAGMA user_version records which steps a file has had.

#include "core/result.h"
#include "tasks/sqlite/sqlite_connection.h"

namespace image_resize::tasks {

// Brings the schema of `connection`'s file to `target_version`, inside the caller's write
// transaction. Fails when the file is newer than this build knows.
core::Status migrate_schema(SqliteConnection& connection, int target_version);

}  // namespace image_resize::tasks
