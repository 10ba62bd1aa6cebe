#include "tasks/redis/redis_config.h"

namespace image_resize::tasks {

core::Status RedisConfig::validate() const {
  auto invalid = [](std::string message) {
    return core::Error::make(core::ErrorCode::internal, "Invalid configuration",
                             "redis config: " + std::move(message));
  };
  if (url.host.empty()) return invalid("url has no host");
  if (key_prefix.empty()) return invalid("key_prefix must not be empty");
  if (lease_duration.count() <= 0) return invalid("lease_duration must be positive");
  if (connect_timeout.count() <= 0) return invalid("connect_timeout must be positive");
  if (command_timeout.count() <= 0) return invalid("command_timeout must be positive");
  if (block_round.count() <= 0) return invalid("block_round must be positive");
  if (block_round > std::chrono::seconds(5)) {
    return invalid("block_round above 5 s would make shutdown slow");
  }
  if (hash_ttl_grace.count() <= 0) return invalid("hash_ttl_grace must be positive");
  return {};
}

}  // namespace image_resize::tasks
