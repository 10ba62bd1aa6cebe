#pragma once
// The Redis connections of one process: a validated RedisConfig and a pool of RedisConnections,
// so that any number of threads can run commands at once. Create one with open() and share it
// (shared_ptr) between the RedisTaskStore, RedisTaskQueue and RedisTaskEvents of the process.
// Opening does no I/O: a Redis that is down makes calls fail with backend_unavailable until it
// is back, and every call after that works again (connections reconnect on their own).
// Thread safety: every method from any thread at once.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tasks/redis/redis_config.h"
#include "tasks/redis/redis_connection.h"
#include "tasks/redis/redis_keys.h"
#include "tasks/redis/redis_reply.h"

namespace image_resize::tasks {

class RedisClient {
 public:
  // Refuses an invalid config.
  static core::Result<std::shared_ptr<RedisClient>> open(const RedisConfig& config);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisConfig& config() const { return config_; }
  const RedisKeys& keys() const { return keys_; }

  // One command on a pooled connection (see RedisConnection::command for the errors).
  core::Result<RedisReply> command(const std::vector<std::string>& args);
  // A command that blocks in Redis for up to `block` (XREAD BLOCK): the read timeout grows by it.
  core::Result<RedisReply> blocking_command(const std::vector<std::string>& args,
                                            std::chrono::milliseconds block);
  // Runs a Lua script (EVAL, no KEYS): kLuaKeys is put before `script`, and the key prefix
  // before `args`, so the script reads the prefix as ARGV[1] and its own arguments from ARGV[2].
  // Scripts run atomically: no other command runs in Redis meanwhile.
  core::Result<RedisReply> eval(std::string_view script, const std::vector<std::string>& args);

  // A connection outside the pool, for a subscriber that keeps it.
  std::unique_ptr<RedisConnection> dedicated_connection() const;

 private:
  explicit RedisClient(RedisConfig config);
  std::unique_ptr<RedisConnection> acquire();
  void give_back(std::unique_ptr<RedisConnection> connection);

  // Constant after construction.
  const RedisConfig config_;
  const RedisKeys keys_;

  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;  // guarded by mutex_
};

}  // namespace image_resize::tasks
