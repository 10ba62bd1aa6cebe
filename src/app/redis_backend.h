#pragma once
// The Redis side of the scaled-out modes: one client (a connection pool) shared by the task
// store, the queue, the completion events, the worker registry and the webhook outbox, built from
// --redis and the common settings.

#include <memory>

#include "config/app_config.h"
#include "rate_limit/redis/redis_rate_limiter.h"
#include "tasks/redis/redis_client.h"
#include "tasks/redis/redis_task_events.h"
#include "tasks/redis/redis_task_queue.h"
#include "tasks/redis/redis_task_store.h"
#include "tasks/redis/redis_webhook_outbox.h"
#include "tasks/redis/redis_worker_controls.h"
#include "tasks/redis/redis_worker_registry.h"

namespace image_resize::app {

struct RedisBackend {
  std::shared_ptr<tasks::RedisClient> client;
  std::unique_ptr<tasks::RedisTaskStore> tasks;
  std::unique_ptr<tasks::RedisTaskQueue> queue;
  std::unique_ptr<tasks::RedisTaskEvents> events;
  std::unique_ptr<tasks::RedisWorkerRegistry> workers;
  std::unique_ptr<tasks::RedisWorkerControls> controls;
  std::unique_ptr<tasks::RedisWebhookOutbox> webhooks;

  // Connects lazily: a Redis that is down at start makes requests fail with 503 until it is
  // back, rather than the process refusing to start.
  static core::Result<RedisBackend> open(const config::AppConfig& config);
};

}  // namespace image_resize::app
