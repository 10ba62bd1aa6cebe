#pragma once
// WorkerRegistry on Redis, for the scaled-out mode: a hash of worker name -> status JSON and a
// sorted set by last heartbeat, updated together by one script (key layout: redis_keys.h).
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/redis/redis_client.h"
#include "tasks/worker_registry.h"

namespace image_resize::tasks {

class RedisWorkerRegistry final : public WorkerRegistry {
 public:
  explicit RedisWorkerRegistry(std::shared_ptr<RedisClient> client);

  core::Status beat(const core::WorkerStatus& status) override;
  core::Status leave(const std::string& name) override;
  core::Result<std::vector<core::WorkerStatus>> list() override;

 private:
  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;
};

}  // namespace image_resize::tasks
