#pragma once
// WorkerControls on the embedded SQLite file: one row per target in `worker_controls`, the
// sequence being the highest number any row holds.
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/sqlite/sqlite_database.h"
#include "tasks/worker_controls.h"

namespace image_resize::tasks {

class SqliteWorkerControls final : public WorkerControls {
 public:
  explicit SqliteWorkerControls(std::shared_ptr<SqliteDatabase> database);

  core::Result<std::int64_t> issue(const std::string& target,
                                   const WorkerCommand& command) override;
  core::Result<std::int64_t> latest() override;
  core::Result<WorkerCommand> settings(const std::string& name, std::int64_t issued_after) override;

 private:
  // Constant after construction.
  const std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace image_resize::tasks
