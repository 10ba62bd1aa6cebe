#pragma once
// WorkerControls on Redis, for the scaled-out mode: a hash of target -> controls JSON, and a
// counter for the sequence, changed together by one script (key layout: redis_keys.h).
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/redis/redis_client.h"
#include "tasks/worker_controls.h"

namespace image_resize::tasks {

class RedisWorkerControls final : public WorkerControls {
 public:
  explicit RedisWorkerControls(std::shared_ptr<RedisClient> client);

  core::Result<std::int64_t> issue(const std::string& target,
                                   const WorkerCommand& command) override;
  core::Result<std::int64_t> latest() override;
  core::Result<WorkerCommand> settings(const std::string& name, std::int64_t issued_after) override;

 private:
  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;
};

}  // namespace image_resize::tasks
