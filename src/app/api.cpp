// `image-resize api --redis URL`: the HTTP API only. Tasks go to Redis, uploads to the blob
// store (a bucket, or the shared --data-dir); workers elsewhere process them and announce each
// finished task on Redis pub/sub, which wakes this process's long-polls.
#include "app/blob_stores.h"
#include "app/components.h"
#include "app/modes.h"
#include "app/process_control.h"
#include "app/redis_backend.h"
#include "core/log.h"
#include "imaging/vips_image_processor.h"

namespace image_resize::app {

int run_api(const config::AppConfig& config, const HttpTaskStore& http_task_store) {
  block_stop_signals();
  auto backend = RedisBackend::open(config);
  if (!backend.ok()) return start_failure("cannot set up the Redis backend", backend.error());
  imaging::VipsImageProcessor images;
  metrics::Registry metrics;
  auto blobs = open_blob_store(config, metrics);
  if (!blobs.ok()) return start_failure("cannot open the blob store", blobs.error());
  register_queue_gauges(metrics, *backend->queue);
  register_memory_gauges(metrics);

  auto api_keys = load_api_keys(config);
  if (!api_keys.ok()) return start_failure("cannot load the API keys", api_keys.error());
  auto presets = load_presets(config);
  if (!presets.ok()) return start_failure("cannot load the presets", presets.error());
  auto url_signer = load_url_signer(config);
  if (!url_signer.ok())
    return start_failure("cannot load the URL signing keys", url_signer.error());
  // Buckets in Redis: every api process draws from the same ones.
  std::unique_ptr<rate_limit::RateLimiter> rate_limiter;
  if (config.http.rate_limit > 0) {
    rate_limiter =
        std::make_unique<rate_limit::RedisRateLimiter>(backend->client, rate_limit_of(config));
  }
  // Read only to check it: an api that takes callback_urls holds the secret its workers sign with.
  if (auto secret = load_webhook_secret(config); !secret.ok()) {
    return start_failure("cannot load the webhook secret", secret.error());
  }
  // The API checks a request's URLs (`url`, `callback_url`); the workers fetch and deliver.
  const auto outbound = make_outbound_client(config);
  const auto http_tasks = http_task_store ? http_task_store(*backend->tasks) : nullptr;
  HttpSide http_side(config, http_tasks ? *http_tasks : *backend->tasks, *backend->queue,
                     *backend->workers, *backend->controls, *backend->webhooks, **blobs, images,
                     *outbound, metrics, *api_keys, rate_limiter.get(), *url_signer,
                     std::move(*presets));
  auto port = http_side.listen();
  if (!port.ok()) return start_failure("cannot listen", port.error());
  if (auto subscribed = backend->events->subscribe(
          [&http_side](const core::TaskId& id) { http_side.task_finished(id); });
      !subscribed.ok()) {
    return start_failure("cannot subscribe to task events", subscribed.error());
  }
  http_side.start();
  core::log::info("listening", {{"host", config.http.host},
                                {"port", std::to_string(*port)},
                                {"redis", backend->client->config().url.redacted()},
                                {"blob_store", config.blob_store},
                                {"data_dir", config.data_dir.string()}});
  const int code = run_until_stopped(config, &http_side, nullptr);
  backend->events->stop();
  return code;
}

}  // namespace image_resize::app
