#include "tasks/sqlite/sqlite_worker_registry.h"

#include "tasks/worker_status_json.h"

namespace image_resize::tasks {

SqliteWorkerRegistry::SqliteWorkerRegistry(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

core::Status SqliteWorkerRegistry::beat(const core::WorkerStatus& status) {
  return database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto upsert = connection.prepare(
            "INSERT INTO workers (name, last_seen, status) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (name) DO UPDATE SET last_seen = ?2, status = ?3");
        if (!upsert.ok()) return upsert.error();
        upsert->bind_text(1, status.name);
        upsert->bind_int(2, core::to_unix_ms(status.last_seen));
        upsert->bind_text(3, worker_status_to_json(status));
        if (auto written = upsert->run(); !written.ok()) return written;

        auto forget = connection.prepare("DELETE FROM workers WHERE last_seen < ?1");
        if (!forget.ok()) return forget.error();
        forget->bind_int(1, core::to_unix_ms(status.last_seen - kForgetAfter));
        return forget->run();
      },
      Commit::deferred);  // a heartbeat is rewritten every few seconds
}

core::Status SqliteWorkerRegistry::leave(const std::string& name) {
  return database_->write([&](SqliteConnection& connection) -> core::Status {
    auto remove = connection.prepare("DELETE FROM workers WHERE name = ?1");
    if (!remove.ok()) return remove.error();
    remove->bind_text(1, name);
    return remove->run();
  });
}

core::Result<std::vector<core::WorkerStatus>> SqliteWorkerRegistry::list() {
  std::vector<core::WorkerStatus> workers;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare(
        "SELECT status FROM workers WHERE last_seen >= ?1 ORDER BY last_seen DESC, name");
    if (!select.ok()) return select.error();
    select->bind_int(1, core::to_unix_ms(core::now() - kForgetAfter));
    while (true) {
      auto row = select->step();
      if (!row.ok()) return row.error();
      if (!*row) return {};
      auto worker = worker_status_from_json(select->text(0));
      if (!worker.ok()) return worker.error();
      workers.push_back(std::move(worker).value());
    }
  });
  if (!status.ok()) return status.error();
  return workers;
}

}  // namespace image_resize::tasks
