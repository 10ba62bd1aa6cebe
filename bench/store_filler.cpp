#include "store_filler.h"

#include <atomic>
#include <mutex>
#include <string>

#include "app/redis_backend.h"
#include "parallel.h"
#include "tasks/sqlite/sqlite_task_row.h"
#include "tasks/sqlite/sqlite_task_store.h"

namespace image_resize::bench {
namespace {

class SqliteFiller final : public StoreFiller {
 public:
  explicit SqliteFiller(std::shared_ptr<tasks::SqliteDatabase> database)
      : database_(database), store_(std::move(database)) {}

  core::Status add_finished(std::span<const core::TaskRecord> records) override {
    return database_->write([&](tasks::SqliteConnection& connection) -> core::Status {
      auto insert = connection.prepare(tasks::kInsertTaskSql);
      if (!insert.ok()) return insert.error();
      for (const core::TaskRecord& record : records) {
        tasks::bind_task_row(*insert, record);
        if (auto inserted = insert->run(); !inserted.ok()) return inserted;
        insert->reset();
      }
      return {};
    });
  }
  tasks::TaskStore& store() override { return store_; }

 private:
  const std::shared_ptr<tasks::SqliteDatabase> database_;
  tasks::SqliteTaskStore store_;
};

class RedisFiller final : public StoreFiller {
 public:
  RedisFiller(app::RedisBackend backend, int threads)
      : backend_(std::move(backend)), threads_(threads) {}

  core::Status add_finished(std::span<const core::TaskRecord> records) override {
    auto depth = backend_.queue->depth();
    if (!depth.ok()) return depth.error();
    if (depth->total() != 0) {
      return core::Error::make(core::ErrorCode::internal, "Internal error",
                               "redis: " + std::to_string(depth->total()) +
                                   " tasks are queued; preload finished tasks into an idle store");
    }
    auto created = run_until_error(threads_, static_cast<int>(records.size()), [&](int index) {
      return backend_.tasks->create(records[static_cast<std::size_t>(index)]);
    });
    if (!created.ok()) return created;
    return trim_queues();
  }
  tasks::TaskStore& store() override { return *backend_.tasks; }

 private:
  // As every ack would (XDEL of each entry): the streams were empty before this batch.
  core::Status trim_queues() {
    for (auto priority : {core::Priority::high, core::Priority::normal, core::Priority::low}) {
      auto trimmed = backend_.client->command(
          {"XTRIM", backend_.client->keys().queue(priority), "MAXLEN", "0"});
      if (!trimmed.ok()) return trimmed.error();
    }
    return {};
  }

  app::RedisBackend backend_;
  const int threads_;
};

}  // namespace

core::Status run_until_error(int threads, int count, const std::function<core::Status(int)>& step) {
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  core::Status first_error;
  run_parallel(threads, 0, count, [&](int /*thread*/, int index) {
    if (failed) return;
    auto status = step(index);
    if (status.ok() || failed.exchange(true)) return;
    const std::lock_guard lock(error_mutex);
    first_error = status;
  });
  return first_error;
}

core::Result<std::unique_ptr<StoreFiller>> open_sqlite_filler(const config::AppConfig& config) {
  auto database = tasks::SqliteDatabase::open({.path = config.task_database()});
  if (!database.ok()) return database.error();
  return std::unique_ptr<StoreFiller>(std::make_unique<SqliteFiller>(*database));
}

core::Result<std::unique_ptr<StoreFiller>> open_redis_filler(const config::AppConfig& config,
                                                             int threads) {
  auto backend = app::RedisBackend::open(config);
  if (!backend.ok()) return backend.error();
  return std::unique_ptr<StoreFiller>(
      std::make_unique<RedisFiller>(std::move(backend).value(), threads));
}

}  // namespace image_resize::bench
