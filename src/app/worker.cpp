// `image-resize worker --redis URL`: workers only. Leases tasks from the Redis streams, reads
// inputs from and writes results to the blob store (a bucket, or the shared --data-dir), and
// announces each finished task.
// With --metrics-port it also serves its own /metrics, /healthz and /readyz.
#include "app/blob_stores.h"
#include "app/components.h"
#include "app/modes.h"
#include "app/process_control.h"
#include "app/redis_backend.h"
#include "core/log.h"
#include "imaging/vips_image_processor.h"

namespace image_resize::app {

int run_worker(const config::AppConfig& config) {
  block_stop_signals();
  auto backend = RedisBackend::open(config);
  if (!backend.ok()) return start_failure("cannot set up the Redis backend", backend.error());
  imaging::VipsImageProcessor images;
  metrics::Registry metrics;
  auto blobs = open_blob_store(config, metrics);
  if (!blobs.ok()) return start_failure("cannot open the blob store", blobs.error());
  register_memory_gauges(metrics);
  auto webhook_secret = load_webhook_secret(config);
  if (!webhook_secret.ok()) {
    return start_failure("cannot load the webhook secret", webhook_secret.error());
  }
  const auto outbound = make_outbound_client(config);

  // --metrics-port: the operations endpoints only (/metrics, /healthz, /readyz).
  std::unique_ptr<HttpSide> operations;
  if (config.metrics_port) {
    config::AppConfig operations_config = config;
    operations_config.http.port = *config.metrics_port;
    operations_config.http.operations_only = true;
    operations = std::make_unique<HttpSide>(
        operations_config, *backend->tasks, *backend->queue, *backend->workers, *backend->controls,
        *backend->webhooks, **blobs, images, *outbound, metrics);
    auto port = operations->listen();
    if (!port.ok()) return start_failure("cannot listen on --metrics-port", port.error());
    operations->start();
    core::log::info("metrics listening",
                    {{"host", config.http.host}, {"port", std::to_string(*port)}});
  }

  auto worker_images = start_worker_images(config, images, metrics);
  if (!worker_images.ok()) {
    return start_failure("cannot start the imaging processes", worker_images.error());
  }
  imaging::ImageProcessor& resizer = *worker_images ? **worker_images : images;
  tasks::RedisTaskEvents& events = *backend->events;
  WorkerSide worker_side(config, *backend->tasks, *backend->queue, *backend->workers,
                         *backend->controls, *backend->webhooks, **blobs, resizer, *outbound,
                         *webhook_secret, metrics,
                         [&events](const core::TaskId& id) { events.publish_finished(id); });
  worker_side.start();
  return run_until_stopped(config, operations.get(), &worker_side);
}

}  // namespace image_resize::app
