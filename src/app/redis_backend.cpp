#include "app/redis_backend.h"

namespace image_resize::app {

core::Result<RedisBackend> RedisBackend::open(const config::AppConfig& config) {
  auto url = queue::RedisUrl::parse(config.redis_url);
  if (!url.ok()) return url.error();
  queue::RedisConfig redis_config;
  redis_config.url = *url;
  redis_config.lease_duration = config.lease_duration;
  if (auto status = redis_config.validate(); !status.ok()) return status.error();
  auto client = queue::RedisClient::open(redis_config);
  if (!client.ok()) return client.error();
  RedisBackend backend;
  backend.client = *client;
  backend.tasks = std::make_unique<queue::RedisTaskStore>(backend.client);
  backend.queue = std::make_unique<queue::RedisTaskQueue>(backend.client);
  backend.events = std::make_unique<queue::RedisTaskEvents>(backend.client);
  backend.workers = std::make_unique<queue::RedisWorkerRegistry>(backend.client);
  auto blobs = storage::FsBlobStore::open(config.data_dir);
  if (!blobs.ok()) return blobs.error();
  backend.blobs = std::move(*blobs);
  return backend;
}

}  // namespace image_resize::app
