#include "queue/redis/redis_worker_registry.h"

#include <algorithm>
#include <string_view>

#include "queue/worker_status_json.h"

namespace image_resize::queue {
namespace {

// ARGV: 2 name, 3 last_seen ms, 4 status JSON, 5 forget before (ms). Records the beat and drops
// the workers silent since before ARGV[5].
constexpr std::string_view kBeat = R"lua(
local workers_key = prefix .. 'workers'
local seen_key = prefix .. 'workers:seen'
redis.call('HSET', workers_key, ARGV[2], ARGV[4])
redis.call('ZADD', seen_key, ARGV[3], ARGV[2])
local silent = redis.call('ZRANGEBYSCORE', seen_key, '-inf', '(' .. ARGV[5])
for _, name in ipairs(silent) do
  redis.call('HDEL', workers_key, name)
  redis.call('ZREM', seen_key, name)
end
return #silent
)lua";

std::string ms(core::TimePoint at) { return std::to_string(core::to_unix_ms(at)); }

}  // namespace

RedisWorkerRegistry::RedisWorkerRegistry(std::shared_ptr<RedisClient> client)
    : client_(std::move(client)) {}

core::Status RedisWorkerRegistry::beat(const core::WorkerStatus& status) {
  auto reply = client_->eval(kBeat, {status.name, ms(status.last_seen), worker_status_to_json(status),
                                     ms(status.last_seen - kForgetAfter)});
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

}  // namespace image_resize::queue
