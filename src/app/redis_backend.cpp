#include "app/redis_backend.h"

namespace image_resize::app {

core::Result<RedisBackend> RedisBackend::open(const config::AppConfig& config) {
  auto url = tasks::RedisUrl::parse(config.redis_url);
  if (!url.ok()) return url.error();
  tasks::RedisConfig redis_config;
  redis_config.url = *url;
  redis_config.lease_duration = config.lease_duration;
  if (auto status = redis_config.validate(); !status.ok()) return status.error();
  auto client = tasks::RedisClient::open(redis_config);
  if (!client.ok()) return client.error();
  RedisBackend backend;
  backend.client = *client;
  backend.tasks = std::make_unique<tasks::RedisTaskStore>(backend.client);
  backend.queue = std::make_unique<tasks::RedisTaskQueue>(backend.client);
  backend.events = std::make_unique<tasks::RedisTaskEvents>(backend.client);
  backend.workers = std::make_unique<tasks::RedisWorkerRegistry>(backend.client);
  backend.controls = std::make_unique<tasks::RedisWorkerControls>(backend.client);
  backend.webhooks = std::make_unique<tasks::RedisWebhookOutbox>(backend.client);
  return backend;
}

}  // namespace image_resize::app
