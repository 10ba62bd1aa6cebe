#include "tasks/redis/redis_worker_registry.h"

#include <algorithm>
#include <string_view>

#include "tasks/worker_status_json.h"

namespace image_resize::tasks {
namespace {

// ARGV: 2 name, 3 status JSON, 4 forget after (ms). Records the beat at Redis' time and drops
// the workers silent for longer than ARGV[4].
constexpr std::string_view kBeat = R"lua(
local now = now_ms()
redis.call('HSET', workers_key, ARGV[2], ARGV[3])
redis.call('ZADD', workers_seen_key, now, ARGV[2])
local silent = redis.call('ZRANGEBYSCORE', workers_seen_key, '-inf', '(' .. (now - tonumber(ARGV[4])))
for _, name in ipairs(silent) do
  redis.call('HDEL', workers_key, name)
  redis.call('ZREM', workers_seen_key, name)
end
return #silent
)lua";

}  // namespace

RedisWorkerRegistry::RedisWorkerRegistry(std::shared_ptr<RedisClient> client)
    : client_(std::move(client)) {}

core::Status RedisWorkerRegistry::beat(const core::WorkerStatus& status) {
  const auto forget_after = std::chrono::duration_cast<std::chrono::milliseconds>(kForgetAfter);
  auto reply = client_->eval(
      kBeat, {status.name, worker_status_to_json(status), std::to_string(forget_after.count())});
  if (!reply.ok()) return reply.error();
  return {};
}

core::Status RedisWorkerRegistry::leave(const std::string& name) {
  const RedisKeys& keys = client_->keys();
  if (auto removed = client_->command({"HDEL", keys.workers(), name}); !removed.ok()) {
    return removed.error();
  }
  if (auto removed = client_->command({"ZREM", keys.workers_seen(), name}); !removed.ok()) {
    return removed.error();
  }
  return {};
}

core::Result<std::vector<core::WorkerStatus>> RedisWorkerRegistry::list() {
  auto reply = client_->command({"HVALS", client_->keys().workers()});
  if (!reply.ok()) return reply.error();
  const core::TimePoint forget_before = core::now() - kForgetAfter;
  std::vector<core::WorkerStatus> workers;
  for (const RedisReply& element : reply->elements) {
    auto worker = worker_status_from_json(element.text);
    if (!worker.ok()) return worker.error();
    if (worker->last_seen >= forget_before) workers.push_back(std::move(worker).value());
  }
  std::sort(workers.begin(), workers.end(), [](const auto& a, const auto& b) {
    return a.last_seen != b.last_seen ? a.last_seen > b.last_seen : a.name < b.name;
  });
  return workers;
}

}  // namespace image_resize::tasks
