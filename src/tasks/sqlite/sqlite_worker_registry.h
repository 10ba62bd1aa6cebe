#pragma once
// WorkerRegistry on the embedded SQLite file: one row per worker process in `workers`.
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/sqlite/sqlite_database.h"
#include "tasks/worker_registry.h"

namespace image_resize::tasks {

class SqliteWorkerRegistry final : public WorkerRegistry {
 public:
  explicit SqliteWorkerRegistry(std::shared_ptr<SqliteDatabase> database);

  core::Status beat(const core::WorkerStatus& status) override;
  core::Status leave(const std::string& name) override;
  core::Result<std::vector<core::WorkerStatus>> list() override;

 private:
  // Constant after construction.
  const std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace image_resize::tasks
