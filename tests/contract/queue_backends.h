#pragma once
// The TaskStore + TaskQueue + WorkerRegistry backends the contract suites run against. A backend factory type has
// a static make(options) that returns a fresh, empty store and queue (or nullptr after reporting
// a test failure), and store() and queue(). To add a backend, write one more factory here and add
// it to QueueBackends. CTest names each test after its backend type:
// "TaskQueueContract.AckRemovesTheEntryButNotTheTask<image_resize::contract::SqliteQueueBackend>".

#include <gtest/gtest.h>

#include <chrono>
#include <atomic>
#include <memory>
#include <string>

#include "queue/finished_task_cache.h"
#include "queue/memory_rate_limiter.h"
#include "queue/redis/redis_client.h"
#include "queue/redis/redis_rate_limiter.h"
#include "queue/redis/redis_task_queue.h"
#include "queue/redis/redis_task_store.h"
#include "queue/redis/redis_worker_registry.h"
#include "queue/sqlite_database.h"
#include "queue/sqlite_task_queue.h"
#include "queue/sqlite_task_store.h"
#include "queue/sqlite_worker_registry.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

namespace image_resize::contract {

struct QueueBackendOptions {
  // Long by default so that no lease expires by accident on a slow machine; the expiry tests
  // ask for a short one.
  std::chrono::milliseconds lease_duration{60'000};
};

class SqliteQueueBackend {
 public:
  static std::unique_ptr<SqliteQueueBackend> make(const QueueBackendOptions& options) {
    auto backend = std::unique_ptr<SqliteQueueBackend>(new SqliteQueueBackend());
    auto database = queue::SqliteDatabase::open({.path = backend->dir_.path() / "tasks.db"});
    if (!database.ok()) {
      ADD_FAILURE() << database.error().log_message();
      return nullptr;
    }
    auto task_queue =
        queue::SqliteTaskQueue::open(*database, {.lease_duration = options.lease_duration});
    if (!task_queue.ok()) {
      ADD_FAILURE() << task_queue.error().log_message();
      return nullptr;
    }
    // As serve wires it: the finished-task cache in front of the SQLite store.
    backend->sqlite_store_ = std::make_unique<queue::SqliteTaskStore>(*database);
    backend->store_ = std::make_unique<queue::FinishedTaskCache>(*backend->sqlite_store_, 4096);
    backend->queue_ = std::move(task_queue).value();
    backend->workers_ = std::make_unique<queue::SqliteWorkerRegistry>(*database);
    return backend;
  }

  queue::TaskStore& store() { return *store_; }
  queue::TaskQueue& queue() { return *queue_; }
  queue::WorkerRegistry& workers() { return *workers_; }
  // serve's rate limiter: buckets in this process.
  std::unique_ptr<queue::RateLimiter> rate_limiter(queue::RateLimit limit) {
    return std::make_unique<queue::MemoryRateLimiter>(limit);
  }

 private:
  SqliteQueueBackend() = default;

  testing::TempDir dir_;  // declared first: removed after the database is closed
  std::unique_ptr<queue::SqliteTaskStore> sqlite_store_;
  std::unique_ptr<queue::FinishedTaskCache> store_;
  std::unique_ptr<queue::SqliteTaskQueue> queue_;
  std::unique_ptr<queue::SqliteWorkerRegistry> workers_;
};

// Redis: one redis-server per test binary, started on first use (from the main thread, see
// RedisServer), and a fresh key prefix per backend, so every test starts from empty keys.
class RedisQueueBackend {
 public:
  static std::unique_ptr<RedisQueueBackend> make(const QueueBackendOptions& options) {
    static testing::RedisServer server;
    if (!server.started()) {
      ADD_FAILURE() << "no redis-server for the Redis backend";
      return nullptr;
    }
    static std::atomic<int> backends{0};
    auto url = queue::RedisUrl::parse(server.url());
    if (!url.ok()) {
      ADD_FAILURE() << url.error().log_message();
      return nullptr;
    }
    auto client = queue::RedisClient::open(
        {.url = *url,
         .key_prefix = "contract-" + std::to_string(++backends) + ":",
         .lease_duration = options.lease_duration});
    if (!client.ok()) {
      ADD_FAILURE() << client.error().log_message();
      return nullptr;
    }
    auto backend = std::unique_ptr<RedisQueueBackend>(new RedisQueueBackend());
    backend->store_ = std::make_unique<queue::RedisTaskStore>(*client);
    backend->queue_ = std::make_unique<queue::RedisTaskQueue>(*client);
    backend->workers_ = std::make_unique<queue::RedisWorkerRegistry>(*client);
    backend->client_ = *client;
    return backend;
  }

  queue::TaskStore& store() { return *store_; }
  queue::TaskQueue& queue() { return *queue_; }
  queue::WorkerRegistry& workers() { return *workers_; }
  std::unique_ptr<queue::RateLimiter> rate_limiter(queue::RateLimit limit) {
    return std::make_unique<queue::RedisRateLimiter>(client_, limit);
  }

 private:
  RedisQueueBackend() = default;

  std::shared_ptr<queue::RedisClient> client_;
  std::unique_ptr<queue::RedisTaskStore> store_;
  std::unique_ptr<queue::RedisTaskQueue> queue_;
  std::unique_ptr<queue::RedisWorkerRegistry> workers_;
};

using QueueBackends = ::testing::Types<SqliteQueueBackend, RedisQueueBackend>;

}  // namespace image_resize::contract
