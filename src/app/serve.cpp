// `image-resize serve`: the embedded default. HTTP API, SQLite task store and queue, worker
// threads and blob files under --data-dir, all in this process.
#include <cstdlib>

#include "app/modes.h"
#include "app/process_control.h"
#include "core/log.h"
#include "http/server.h"
#include "imaging/vips_image_processor.h"
#include "metrics/registry.h"
#include "queue/sqlite_database.h"
#include "queue/sqlite_task_queue.h"
#include "queue/sqlite_task_store.h"
#include "storage/fs_blob_store.h"
#include "worker/expiry_sweeper.h"
#include "worker/worker_pool.h"

namespace image_resize::app {

namespace {

int fail(std::string_view what, const core::Error& error) {
  core::log::error(what, {{"error", error.log_message()}});
  return 1;
}

// Queue depth by priority, read from the queue when /metrics is scraped.
void register_queue_depth(metrics::Registry& registry, queue::TaskQueue& queue) {
  registry.gauge("image_resize_queue_depth", "Tasks waiting or running, by priority", [&queue] {
    std::vector<std::pair<metrics::Labels, double>> values;
    auto depth = queue.depth();
    if (!depth.ok()) return values;
    for (auto priority : {core::Priority::high, core::Priority::normal, core::Priority::low}) {
      values.push_back({{{"priority", std::string(core::to_string(priority))}},
                        static_cast<double>(depth->by_priority[static_cast<int>(priority)])});
    }
    return values;
  });
}

}  // namespace

int run_serve(const config::AppConfig& config) {
  block_stop_signals();

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    core::log::error("cannot create the data dir",
                     {{"path", config.data_dir.string()}, {"error", ec.message()}});
    return 1;
  }
  auto lock = DataDirLock::acquire(config.data_dir);
  if (!lock.ok()) return fail("cannot lock the data dir", lock.error());

  auto database = queue::SqliteDatabase::open({.path = config.data_dir / "tasks.db"});
  if (!database.ok()) return fail("cannot open the task database", database.error());
  queue::SqliteTaskStore tasks(*database);
  auto task_queue =
      queue::SqliteTaskQueue::open(*database, {.lease_duration = config.lease_duration});
  if (!task_queue.ok()) return fail("cannot open the task queue", task_queue.error());
  queue::SqliteTaskQueue& queue = **task_queue;
  // This process holds the data-dir lock, so every lease in the file is from a run that died.
  if (auto reclaimed = queue.expire_all_leases(); !reclaimed.ok()) {
    return fail("cannot reclaim leases", reclaimed.error());
  } else if (*reclaimed > 0) {
    core::log::warn("tasks of a previous run handed out again",
                    {{"count", std::to_string(*reclaimed)}});
  }
  auto blobs = storage::FsBlobStore::open(config.data_dir);
  if (!blobs.ok()) return fail("cannot open the blob store", blobs.error());
  imaging::VipsImageProcessor images;

  metrics::Registry metrics;
  register_queue_depth(metrics, queue);
  http::TaskWaiters waiters;
  http::BlockingExecutor blocking(config.http.blocking_threads);
  http::ApiContext api{tasks,    queue,   **blobs,       images,     waiters,
                       blocking, metrics, config.limits, config.ttl, config.http};
  http::Server server(api);
  auto port = server.listen();
  if (!port.ok()) return fail("cannot listen", port.error());

  worker::WorkerPool workers(config.worker, tasks, queue, **blobs, images, metrics,
                             [&waiters](const core::TaskId& id) { waiters.notify(id); });
  worker::ExpirySweeper sweeper(tasks, **blobs, config.sweep_interval);
  workers.start();
  sweeper.start();
  server.start();
  core::log::info("listening", {{"host", config.http.host},
                                {"port", std::to_string(*port)},
                                {"data_dir", config.data_dir.string()}});

  const char* signal_name = wait_for_stop_signal();
  core::log::info("stopping", {{"signal", signal_name}});
  server.shutdown();
  sweeper.stop();
  if (!workers.stop(config.shutdown_grace)) {
    // Tasks still running keep their leases; the next start hands them out again.
    core::log::warn("exiting with tasks in progress");
    std::_Exit(0);
  }
  blocking.stop();
  core::log::info("stopped");
  return 0;
}

}  // namespace image_resize::app
