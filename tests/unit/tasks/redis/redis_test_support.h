#pragma once
// Shared by the Redis unit tests: a client on a test's own redis-server with a fresh key
// prefix, and task records as the API creates them.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/task.h"
#include "support/redis_server.h"
#include "support/task_records.h"
#include "tasks/redis/redis_client.h"

namespace image_resize::tasks::redis_test {

using namespace std::chrono_literals;

// Short timeouts so that a test against a stopped server fails fast.
inline RedisConfig config_for(const testing::RedisServer& server) {
  static std::atomic<int> prefixes{0};
  auto url = RedisUrl::parse(server.url());
  EXPECT_TRUE(url.ok());
  return RedisConfig{.url = url.ok() ? *url : RedisUrl{},
                     .key_prefix = "test-" + std::to_string(++prefixes) + ":",
                     .connect_timeout = 500ms,
                     .command_timeout = 2'000ms};
}

inline std::shared_ptr<RedisClient> open_client(const RedisConfig& config) {
  auto client = RedisClient::open(config);
  EXPECT_TRUE(client.ok()) << client.error().log_message();
  return client.ok() ? *client : nullptr;
}

using testing::pending_task;

// The reply of a command that must succeed.
inline RedisReply run(RedisClient& client, const std::vector<std::string>& args) {
  auto reply = client.command(args);
  EXPECT_TRUE(reply.ok()) << reply.error().log_message();
  return reply.ok() ? *reply : RedisReply{};
}

}  // namespace image_resize::tasks::redis_test
