#include "tasks/redis/redis_client.h"

namespace image_resize::tasks {

core::Result<std::shared_ptr<RedisClient>> RedisClient::open(const RedisConfig& config) {
  if (auto valid = config.validate(); !valid.ok()) return valid.error();
  return std::shared_ptr<RedisClient>(new RedisClient(config));
}

RedisClient::RedisClient(RedisConfig config)
    : config_(std::move(config)), keys_(config_.key_prefix) {}

std::unique_ptr<RedisConnection> RedisClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return std::make_unique<RedisConnection>(config_);
}

void RedisClient::give_back(std::unique_ptr<RedisConnection> connection) {
  std::lock_guard lock(mutex_);
  if (!connection->connected()) {
    // It failed: the idle ones are likely broken too (Redis restarted, the network went away).
    // Dropping them means later calls connect afresh instead of each failing once.
    idle_.clear();
    return;
  }
  if (idle_.size() < config_.max_idle_connections) idle_.push_back(std::move(connection));
}

core::Result<RedisReply> RedisClient::command(const std::vector<std::string>& args) {
  return blocking_command(args, std::chrono::milliseconds(0));
}

core::Result<RedisReply> RedisClient::blocking_command(const std::vector<std::string>& args,
                                                       std::chrono::milliseconds block) {
  auto connection = acquire();
  auto reply = connection->command(args, block);
  give_back(std::move(connection));
  return reply;
}

core::Result<RedisReply> RedisClient::eval(std::string_view script,
                                           const std::vector<std::string>& args) {
  // Redis caches each script body it has seen by its SHA1, so resending the body costs only the
  // bytes (a few hundred): no EVALSHA/NOSCRIPT dance, and a Redis restart needs no reloading.
  std::vector<std::string> argv;
  argv.reserve(args.size() + 4);
  argv.emplace_back("EVAL");
  argv.push_back(std::string(kLuaKeys) + std::string(script));
  argv.emplace_back("0");
  argv.push_back(config_.key_prefix);
  argv.insert(argv.end(), args.begin(), args.end());
  return command(argv);
}

std::unique_ptr<RedisConnection> RedisClient::dedicated_connection() const {
  return std::make_unique<RedisConnection>(config_);
}

}  // namespace image_resize::tasks
