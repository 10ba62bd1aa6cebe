#pragma once
// Fills a task store the way the service leaves it, fast enough for a million tasks
// (bench-preload). Finished tasks end as the service's create → lease → mark_started →
// mark_succeeded → ack would leave them, written in bulk with the store's own record code;
// queued tasks go through TaskStore::create itself.
// Thread safety: one thread calls add_finished(); store() may be used from any thread.

#include <functional>
#include <memory>
#include <span>

#include "config/app_config.h"
#include "core/result.h"
#include "core/task.h"
#include "tasks/task_store.h"

namespace image_resize::bench {

class StoreFiller {
 public:
  virtual ~StoreFiller() = default;
  // Adds these terminal tasks with no queue entry, as after the worker's ack.
  virtual core::Status add_finished(std::span<const core::TaskRecord> tasks) = 0;
  // The store itself, for tasks that must be queued (create() enqueues them).
  virtual tasks::TaskStore& store() = 0;
};

// serve's SQLite database (config.task_database()): the finished rows go in one transaction
// per call, with the row code of SqliteTaskStore (no queue row: the ack deleted it).
core::Result<std::unique_ptr<StoreFiller>> open_sqlite_filler(const config::AppConfig& config);

// The Redis of config.redis_url: RedisTaskStore::create from `threads` threads, then the queue
// streams trimmed, as the acks would leave them. So that no one's queued task is trimmed with
// them, add_finished() refuses a store whose queue is not empty.
core::Result<std::unique_ptr<StoreFiller>> open_redis_filler(const config::AppConfig& config,
                                                             int threads);

// Runs step(0) .. step(count - 1) on `threads` threads; after a failure no new step starts, and
// the first failure is returned.
core::Status run_until_error(int threads, int count, const std::function<core::Status(int)>& step);

}  // namespace image_resize::bench
