// `image-resize worker --redis URL`: workers only. Leases tasks from the Redis streams, reads
// inputs from and writes results to the shared --data-dir, and announces each finished task.
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

  queue::RedisTaskEvents& events = *backend->events;
  WorkerSide worker_side(config, *backend->tasks, *backend->queue, *backend->blobs, images, metrics,
                         [&events](const core::TaskId& id) { events.publish_finished(id); });
  worker_side.start();
  return run_until_stopped(config, nullptr, &worker_side);
}

}  // namespace image_resize::app
