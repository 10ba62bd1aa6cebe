// `image-resize serve`: the embedded default. HTTP API, SQLite task store and queue, worker
// threads and blob files under --data-dir (or in a bucket), all in this process.
#include "app/blob_stores.h"
#include "app/components.h"
#include "app/modes.h"
#include "app/process_control.h"
#include "core/log.h"
#include "imaging/vips_image_processor.h"
#include "rate_limit/memory_rate_limiter.h"
#include "tasks/finished_task_cache.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_task_queue.h"
#include "tasks/sqlite/sqlite_task_store.h"
#include "tasks/sqlite/sqlite_webhook_outbox.h"
#include "tasks/sqlite/sqlite_worker_controls.h"
#include "tasks/sqlite/sqlite_worker_registry.h"

namespace image_resize::app {
namespace {
// Finished tasks kept in memory for status polls and result downloads (well under 1 KiB each).
constexpr std::size_t kFinishedTasksCached = 4096;
}  // namespace

int run_serve(const config::AppConfig& config, const HttpTaskStore& http_task_store) {
  block_stop_signals();

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    core::log::error("cannot create the data dir",
                     {{"path", config.data_dir.string()}, {"error", ec.message()}});
    return 1;
  }
  auto lock = DataDirLock::acquire(config.data_dir);
  if (!lock.ok()) return start_failure("cannot lock the data dir", lock.error());

  auto database = tasks::SqliteDatabase::open({.path = config.task_database()});
  if (!database.ok()) return start_failure("cannot open the task database", database.error());
  tasks::SqliteTaskStore sqlite_tasks(*database);
  // This process owns the file (the data-dir lock), so a cached finished task stays right.
  tasks::FinishedTaskCache tasks(sqlite_tasks, kFinishedTasksCached);
  tasks::SqliteWorkerRegistry workers(*database);
  tasks::SqliteWorkerControls controls(*database);
  tasks::SqliteWebhookOutbox webhooks(*database);
  auto task_queue =
      tasks::SqliteTaskQueue::open(*database, {.lease_duration = config.lease_duration});
  if (!task_queue.ok()) return start_failure("cannot open the task queue", task_queue.error());
  tasks::SqliteTaskQueue& queue = **task_queue;
  // This process holds the data-dir lock, so every lease in the file is from a run that died.
  if (auto reclaimed = queue.expire_all_leases(); !reclaimed.ok()) {
    return start_failure("cannot reclaim leases", reclaimed.error());
  } else if (*reclaimed > 0) {
    core::log::warn("tasks of a previous run handed out again",
                    {{"count", std::to_string(*reclaimed)}});
  }
  // Likewise every webhook claim: the deliverer that took it died with that run.
  if (auto released = webhooks.release_claims(); !released.ok()) {
    return start_failure("cannot release webhook claims", released.error());
  }
  imaging::VipsImageProcessor images;
  metrics::Registry metrics;
  auto blobs = open_blob_store(config, metrics);
  if (!blobs.ok()) return start_failure("cannot open the blob store", blobs.error());
  register_queue_gauges(metrics, queue);
  register_memory_gauges(metrics);

  auto api_keys = load_api_keys(config);
  if (!api_keys.ok()) return start_failure("cannot load the API keys", api_keys.error());
  auto presets = load_presets(config);
  if (!presets.ok()) return start_failure("cannot load the presets", presets.error());
  auto url_signer = load_url_signer(config);
  if (!url_signer.ok())
    return start_failure("cannot load the URL signing keys", url_signer.error());
  // One process holds every bucket.
  std::unique_ptr<rate_limit::RateLimiter> rate_limiter;
  if (config.http.rate_limit > 0) {
    rate_limiter = std::make_unique<rate_limit::MemoryRateLimiter>(rate_limit_of(config));
  }
  auto webhook_secret = load_webhook_secret(config);
  if (!webhook_secret.ok()) {
    return start_failure("cannot load the webhook secret", webhook_secret.error());
  }
  const auto outbound = make_outbound_client(config);
  const auto http_tasks = http_task_store ? http_task_store(tasks) : nullptr;
  HttpSide http_side(config, http_tasks ? *http_tasks : tasks, queue, workers, controls, webhooks,
                     **blobs, images, *outbound, metrics, *api_keys, rate_limiter.get(),
                     *url_signer, std::move(*presets));
  auto port = http_side.listen();
  if (!port.ok()) return start_failure("cannot listen", port.error());
  // In one process a finished task wakes its long-polls directly.
  auto worker_images = start_worker_images(config, images, metrics);
  if (!worker_images.ok()) {
    return start_failure("cannot start the imaging processes", worker_images.error());
  }
  imaging::ImageProcessor& resizer = *worker_images ? **worker_images : images;
  WorkerSide worker_side(config, tasks, queue, workers, controls, webhooks, **blobs, resizer,
                         *outbound, *webhook_secret, metrics,
                         [&http_side](const core::TaskId& id) { http_side.task_finished(id); });
  worker_side.start();
  http_side.start();
  core::log::info("listening", {{"host", config.http.host},
                                {"port", std::to_string(*port)},
                                {"data_dir", config.data_dir.string()}});
  return run_until_stopped(config, &http_side, &worker_side);
}

}  // namespace image_resize::app
