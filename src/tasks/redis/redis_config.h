#pragma once
// Settings of the Redis backend (`image-resize api|worker --redis URL`): where Redis is, how the
// keys are named, how long leases last, and the timeouts of every round trip.

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"
#include "tasks/redis/redis_url.h"
#include "tasks/task_queue.h"

namespace image_resize::tasks {

struct RedisConfig {
  // The server, database and credentials (see RedisUrl).
  RedisUrl url{};
  // Starts every key and the pub/sub channel, so that several deployments (or test runs) can
  // share one Redis database. Every process of one deployment must use the same prefix.
  std::string key_prefix = "image-resize:";
  // How long a lease lasts from when it is taken or renewed before another worker may take the
  // task. Judged by Redis' clock, so workers' clocks may differ.
  std::chrono::milliseconds lease_duration = TaskQueue::kDefaultLeaseDuration;
  // TCP connect timeout. Short: a down Redis should make /readyz fail fast, not hang it.
  std::chrono::milliseconds connect_timeout{2'000};
  // Read/write timeout of one command. A command that times out closes its connection (the
  // reply may still come), so it must comfortably exceed Redis' slowest answer under load.
  std::chrono::milliseconds command_timeout{5'000};
  // How long lease() blocks in one round (XREAD BLOCK) before it looks again for expired leases
  // and released tasks and checks interrupt(). New tasks wake it at once; this bounds how late it
  // notices the others and how long shutdown waits for it.
  std::chrono::milliseconds block_round{250};
  // A task's hash gets a Redis TTL of max(expires_at, now) + this: a safety net against leaks
  // should no sweeper run. The sweeper (remove_expired) normally deletes the task at expires_at,
  // with its queue entry and, through the caller, its blobs; until then get() still returns it.
  std::chrono::milliseconds hash_ttl_grace{3'600'000};
  // Idle connections the pool keeps for reuse; more are opened while more threads call at once
  // (each blocked lease() holds one) and closed when they come back above this number. Above
  // the number of worker threads plus a few, so that workers do not reconnect in turn.
  std::size_t max_idle_connections = 64;

  core::Status validate() const;
};

}  // namespace image_resize::tasks
