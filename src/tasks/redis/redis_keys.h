#pragma once
// The key layout of the Redis backend, in one place (the Lua scripts use the same names through
// kLuaKeys). Everything starts with RedisConfig::key_prefix:
//   <prefix>task:<id>        hash: every TaskRecord field (see redis_task_fields.h) plus `entry`,
//                            the id of the task's entry in its queue stream. TTL: a safety net.
//   <prefix>expiry           sorted set: member task id, score expires_at (Unix ms). The sweeper
//                            reads it, so an expired task is found even if its hash is gone.
//   <prefix>queue:<priority> stream per priority (high, normal, low): one entry {task_id} per
//                            unfinished task; consumer group kConsumerGroup; deleted on ack.
//   <prefix>finished         pub/sub channel: the ids of tasks that reached a terminal state.
//   <prefix>failures         list: ids of the latest tasks that ended FAILURE, newest first,
//                            trimmed to kRecentFailuresKept (the dashboard reads it).
//   <prefix>webhooks         sorted set: member task id, score when its webhook is next due
//                            (Unix ms): one member per delivery still to be made (the outbox).
//                            A claim moves the score to the claim's end.
//   <prefix>webhooks:claims  sorted set: the members of `webhooks` whose score is a claim's end
//                            (not a backoff), with that score, so that release_claims can tell.
//   <prefix>webhooks:failing sorted set: tasks whose webhook failed or whose last attempt did,
//                            score finished_at (Unix ms), trimmed to kFailingWebhooksKept.
//   <prefix>batch:<id>       string: a batch (core::BatchRecord as JSON, batch_json.h). TTL: as
//                            its tasks' hashes.
//   <prefix>batches:expiry   sorted set: member batch id, score expires_at (Unix ms).
//   <prefix>input:<id>:users set: the tasks that still need the shared input <id>. TTL: as the
//                            batch's.
//   <prefix>answer:<id>      hash: an upload's Idempotency-Key answer (core::IdempotentAnswer);
//                            <id> is the SHA-256 of its owner and key. TTL: its expires_at.
//   <prefix>reuse:<content key>  hash: the reusable result of tasks with that content key
//                            (TaskStore::find_result): `result_id` and the output fields of a
//                            task hash. TTL: as its users' latest.
//   <prefix>result:<id>:users    set: the tasks that read the result <id> when it may be shared
//                            (tasks with a content key, and those reusing it). TTL: as above.
//   <prefix>result:<id>:reuse    string: the content key whose `reuse:` hash names the result
//                            <id>, so that its last user removes that hash. TTL: as above.
//   <prefix>workers          hash: worker name -> its last heartbeat (WorkerStatus as JSON).
//   <prefix>workers:seen     sorted set: worker name, score last heartbeat (Unix ms, Redis'
//                            clock, so that machines' clocks need not agree on who is silent).
//   <prefix>workers:controls hash: target (a worker name, or '*' for every worker) -> what
//                            operators asked of it (TargetControls as JSON).
//   <prefix>workers:controls:seq  string: the number of the latest command (INCR).
// Scripts build keys from the prefix, so this layout needs one Redis node (not Redis Cluster).

#include <string>
#include <string_view>

#include "core/resize_spec.h"
#include "core/task_id.h"

namespace image_resize::tasks {

inline constexpr std::string_view kConsumerGroup = "workers";

// Lua prelude of every script: ARGV[1] is the key prefix.
inline constexpr std::string_view kLuaKeys = R"lua(
local prefix = ARGV[1]
local function task_key(id) return prefix .. 'task:' .. id end
local function queue_key(priority) return prefix .. 'queue:' .. priority end
local expiry_key = prefix .. 'expiry'
local failures_key = prefix .. 'failures'
local webhooks_key = prefix .. 'webhooks'
local webhook_claims_key = prefix .. 'webhooks:claims'
local failing_webhooks_key = prefix .. 'webhooks:failing'
local workers_key = prefix .. 'workers'
local function batch_key(id) return prefix .. 'batch:' .. id end
local batches_expiry_key = prefix .. 'batches:expiry'
local function input_users_key(id) return prefix .. 'input:' .. id .. ':users' end
local function answer_key(id) return prefix .. 'answer:' .. id end
local function reuse_key(content_key) return prefix .. 'reuse:' .. content_key end
local function result_users_key(id) return prefix .. 'result:' .. id .. ':users' end
local function result_reuse_key(id) return prefix .. 'result:' .. id .. ':reuse' end
local workers_seen_key = prefix .. 'workers:seen'
local worker_controls_key = prefix .. 'workers:controls'
local worker_controls_seq_key = prefix .. 'workers:controls:seq'
-- Consumers of the group that hold freed entries until a lease takes them: why they were freed.
local hand_back_consumer = '~handed-back'
local worker_dead_consumer = '~worker-dead'
-- The HGETALL of each task in `ids` (empty for a task gone since), in their order.
local function task_hashes(ids)
  local hashes = {}
  for _, id in ipairs(ids) do hashes[#hashes + 1] = redis.call('HGETALL', task_key(id)) end
  return hashes
end
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
)lua";

inline constexpr int kRecentFailuresKept = 100;
inline constexpr int kFailingWebhooksKept = 100;

class RedisKeys {
 public:
  explicit RedisKeys(std::string prefix) : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }
  std::string task(const core::TaskId& id) const { return prefix_ + "task:" + id.str(); }
  std::string queue(core::Priority priority) const {
    return prefix_ + "queue:" + std::string(core::to_string(priority));
  }
  std::string expiry() const { return prefix_ + "expiry"; }
  std::string batch(const core::TaskId& id) const { return prefix_ + "batch:" + id.str(); }
  // `id`: the SHA-256 of the answer's owner and key (RedisTaskStore).
  std::string answer(std::string_view id) const { return prefix_ + "answer:" + std::string(id); }
  std::string reuse(const std::string& content_key) const {
    return prefix_ + "reuse:" + content_key;
  }
  std::string result_users(const core::TaskId& id) const {
    return prefix_ + "result:" + id.str() + ":users";
  }
  std::string result_reuse(const core::TaskId& id) const {
    return prefix_ + "result:" + id.str() + ":reuse";
  }
  std::string finished_channel() const { return prefix_ + "finished"; }
  std::string failures() const { return prefix_ + "failures"; }
  std::string webhooks() const { return prefix_ + "webhooks"; }
  std::string webhook_claims() const { return prefix_ + "webhooks:claims"; }
  std::string failing_webhooks() const { return prefix_ + "webhooks:failing"; }
  std::string workers() const { return prefix_ + "workers"; }
  std::string workers_seen() const { return prefix_ + "workers:seen"; }
  std::string worker_controls() const { return prefix_ + "workers:controls"; }
  std::string worker_controls_sequence() const { return prefix_ + "workers:controls:seq"; }

 private:
  std::string prefix_;
};

}  // namespace image_resize::tasks
