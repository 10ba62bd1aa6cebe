#pragma once
// The TaskStore + TaskQueue + WorkerRegistry + WebhookOutbox backends the contract suites run
// against. A backend factory type has a static make(options) that returns a fresh, empty store and
// queue (or nullptr after reporting a test failure), and store(), queue(), workers() and
// webhooks(). To add a backend, write one more factory here and add it to TaskBackends. CTest names
// each test after its backend type:
// "TaskQueueContract.AckRemovesTheEntryButNotTheTask<image_resize::contract::SqliteQueueBackend>".

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "rate_limit/memory_rate_limiter.h"
#include "rate_limit/redis/redis_rate_limiter.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"
#include "tasks/finished_task_cache.h"
#include "tasks/redis/redis_client.h"
#include "tasks/redis/redis_task_queue.h"
#include "tasks/redis/redis_task_store.h"
#include "tasks/redis/redis_webhook_outbox.h"
#include "tasks/redis/redis_worker_controls.h"
#include "tasks/redis/redis_worker_registry.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_task_queue.h"
#include "tasks/sqlite/sqlite_task_store.h"
#include "tasks/sqlite/sqlite_webhook_outbox.h"
#include "tasks/sqlite/sqlite_worker_controls.h"
#include "tasks/sqlite/sqlite_worker_registry.h"

namespace image_resize::contract {

struct TaskBackendOptions {
  // Long by default so that no lease expires by accident on a slow machine; the expiry tests
  // ask for a short one.
  std::chrono::milliseconds lease_duration{60'000};
};

class SqliteQueueBackend {
 public:
  static std::unique_ptr<SqliteQueueBackend> make(const TaskBackendOptions& options) {
    auto backend = std::unique_ptr<SqliteQueueBackend>(new SqliteQueueBackend());
    auto database = tasks::SqliteDatabase::open({.path = backend->dir_.path() / "tasks.db"});
    if (!database.ok()) {
      ADD_FAILURE() << database.error().log_message();
      return nullptr;
    }
    auto task_queue =
        tasks::SqliteTaskQueue::open(*database, {.lease_duration = options.lease_duration});
    if (!task_queue.ok()) {
      ADD_FAILURE() << task_queue.error().log_message();
      return nullptr;
    }
    // As serve wires it: the finished-task cache in front of the SQLite store.
    backend->sqlite_store_ = std::make_unique<tasks::SqliteTaskStore>(*database);
    backend->store_ = std::make_unique<tasks::FinishedTaskCache>(*backend->sqlite_store_, 4096);
    backend->queue_ = std::move(task_queue).value();
    backend->workers_ = std::make_unique<tasks::SqliteWorkerRegistry>(*database);
    backend->controls_ = std::make_unique<tasks::SqliteWorkerControls>(*database);
    backend->webhooks_ = std::make_unique<tasks::SqliteWebhookOutbox>(*database);
    return backend;
  }

  tasks::TaskStore& store() { return *store_; }
  tasks::TaskQueue& queue() { return *queue_; }
  tasks::WorkerRegistry& workers() { return *workers_; }
  tasks::WorkerControls& controls() { return *controls_; }
  tasks::WebhookOutbox& webhooks() { return *webhooks_; }
  // serve's rate limiter: buckets in this process.
  std::unique_ptr<rate_limit::RateLimiter> rate_limiter(rate_limit::RateLimit limit) {
    return std::make_unique<rate_limit::MemoryRateLimiter>(limit);
  }

 private:
  SqliteQueueBackend() = default;

  testing::TempDir dir_;  // declared first: removed after the database is closed
  std::unique_ptr<tasks::SqliteTaskStore> sqlite_store_;
  std::unique_ptr<tasks::FinishedTaskCache> store_;
  std::unique_ptr<tasks::SqliteTaskQueue> queue_;
  std::unique_ptr<tasks::SqliteWorkerRegistry> workers_;
  std::unique_ptr<tasks::SqliteWorkerControls> controls_;
  std::unique_ptr<tasks::SqliteWebhookOutbox> webhooks_;
};

// Redis: one redis-server per test binary, started on first use (from the main thread, see
// RedisServer), and a fresh key prefix per backend, so every test starts from empty keys.
class RedisQueueBackend {
 public:
  static std::unique_ptr<RedisQueueBackend> make(const TaskBackendOptions& options) {
    static testing::RedisServer server;
    if (!server.started()) {
      ADD_FAILURE() << "no redis-server for the Redis backend";
      return nullptr;
    }
    static std::atomic<int> backends{0};
    auto url = tasks::RedisUrl::parse(server.url());
    if (!url.ok()) {
      ADD_FAILURE() << url.error().log_message();
      return nullptr;
    }
    auto client =
        tasks::RedisClient::open({.url = *url,
                                  .key_prefix = "contract-" + std::to_string(++backends) + ":",
                                  .lease_duration = options.lease_duration});
    if (!client.ok()) {
      ADD_FAILURE() << client.error().log_message();
      return nullptr;
    }
    auto backend = std::unique_ptr<RedisQueueBackend>(new RedisQueueBackend());
    backend->store_ = std::make_unique<tasks::RedisTaskStore>(*client);
    backend->queue_ = std::make_unique<tasks::RedisTaskQueue>(*client);
    backend->workers_ = std::make_unique<tasks::RedisWorkerRegistry>(*client);
    backend->controls_ = std::make_unique<tasks::RedisWorkerControls>(*client);
    backend->webhooks_ = std::make_unique<tasks::RedisWebhookOutbox>(*client);
    backend->client_ = *client;
    return backend;
  }

  tasks::TaskStore& store() { return *store_; }
  tasks::TaskQueue& queue() { return *queue_; }
  tasks::WorkerRegistry& workers() { return *workers_; }
  tasks::WorkerControls& controls() { return *controls_; }
  tasks::WebhookOutbox& webhooks() { return *webhooks_; }
  std::unique_ptr<rate_limit::RateLimiter> rate_limiter(rate_limit::RateLimit limit) {
    return std::make_unique<rate_limit::RedisRateLimiter>(client_, limit);
  }

 private:
  RedisQueueBackend() = default;

  std::shared_ptr<tasks::RedisClient> client_;
  std::unique_ptr<tasks::RedisTaskStore> store_;
  std::unique_ptr<tasks::RedisTaskQueue> queue_;
  std::unique_ptr<tasks::RedisWorkerRegistry> workers_;
  std::unique_ptr<tasks::RedisWorkerControls> controls_;
  std::unique_ptr<tasks::RedisWebhookOutbox> webhooks_;
};

using TaskBackends = ::testing::Types<SqliteQueueBackend, RedisQueueBackend>;

}  // namespace image_resize::contract
