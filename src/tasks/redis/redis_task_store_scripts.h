#pragma once
// The Lua scripts of RedisTaskStore. Each runs atomically in Redis, after kLuaKeys (ARGV[1] is
// the key prefix; task_key, queue_key and expiry_key name the keys of redis_keys.h).

#include <string_view>

namespace image_resize::tasks::store_scripts {

// The users of results that may be shared (reuse:, result:<id>:users, result:<id>:reuse).
// Before kCreateTask, kFinish, kReleaseResult and kRemoveExpired.
inline constexpr std::string_view kResultUsers = R"lua(
-- Keeps `key`, if it exists, until `deadline` (Unix ms) at least.
local function keep_until(key, deadline)
  local left = redis.call('PTTL', key)
  if left == -2 then return end
  if left == -1 or now_ms() + left < tonumber(deadline) then
    redis.call('PEXPIREAT', key, deadline)
  end
end
-- `task` reads `result` (until `deadline` at most).
local function use_result(result, task, deadline)
  redis.call('SADD', result_users_key(result), task)
  keep_until(result_users_key(result), deadline)
  local content_key = redis.call('GET', result_reuse_key(result))
  if content_key then
    keep_until(result_reuse_key(result), deadline)
    keep_until(reuse_key(content_key), deadline)
  end
end
-- Whether find_result still offers `result`.
local function reusable(result)
  local content_key = redis.call('GET', result_reuse_key(result))
  return content_key and redis.call('HGET', reuse_key(content_key), 'result_id') == result
end
-- `task` reads `result` no more: 1 when no task does, and then it is no longer reusable.
local function release_result(result, task)
  local users = result_users_key(result)
  redis.call('SREM', users, task)
  if redis.call('SCARD', users) > 0 then return 0 end
  if reusable(result) then
    redis.call('DEL', reuse_key(redis.call('GET', result_reuse_key(result))))
  end
  redis.call('DEL', result_reuse_key(result))
  return 1
end
)lua";

// After kResultUsers. Creates one task: queue entry, hash (the HSET pairs ARGV[first..last]) and
// expiry index together, so an accepted task always has its queue entry. A task that reuses
// `result` (not '') is SUCCESS already: a user of that result instead of a queue entry. Returns
// the stream entry id ('' for none).
inline constexpr std::string_view kCreateTask = R"lua(
local function create_task(id, priority, expires_at, ttl_deadline, first, last, result)
  local key = task_key(id)
  local entry = ''
  if result ~= '' then
    use_result(result, id, ttl_deadline)
    redis.call('HSET', key, unpack(ARGV, first, last))
  else
    entry = redis.call('XADD', queue_key(priority), '*', 'task_id', id)
    redis.call('HSET', key, 'entry', entry, unpack(ARGV, first, last))
  end
  redis.call('PEXPIREAT', key, ttl_deadline)
  redis.call('ZADD', expiry_key, expires_at, id)
  return entry
end
)lua";

// Records an upload's Idempotency-Key answer, unless a live one holds its key: then returns that
// one (owner, key, fingerprint, location, body, expires_at). ARGV[at]: the answer's id
// (RedisKeys::answer; '' when the upload had no key, and nothing happens), at+1..at+6: owner,
// key, fingerprint, location, body, expires_at ms.
inline constexpr std::string_view kClaimAnswer = R"lua(
local answer_fields = {'owner', 'key', 'fingerprint', 'location', 'body', 'expires_at'}
local function claim_answer(at)
  if ARGV[at] == '' then return nil end
  local key = answer_key(ARGV[at])
  local earlier = redis.call('HMGET', key, unpack(answer_fields))
  if earlier[1] then return earlier end
  for i, field in ipairs(answer_fields) do redis.call('HSET', key, field, ARGV[at + i]) end
  redis.call('PEXPIREAT', key, ARGV[at + 6])
  return nil
end
)lua";

// What kCreate and kCreateBatch answer, without writing anything, when a result to reuse is no
// longer reusable.
inline constexpr std::string_view kResultGone = "RESULT_GONE";

// After kCreateTask and kClaimAnswer. ARGV: 2 id, 3 priority, 4 expires_at ms, 5 hash TTL
// deadline ms, 6 the result it reuses ('' for none), 7..13 the answer to record (kClaimAnswer),
// 14.. HSET field/value pairs. Returns the stream entry id, the status kResultGone, or the
// earlier answer (an array); the last two create nothing.
inline constexpr std::string_view kCreate = R"lua(
local id = ARGV[2]
if redis.call('EXISTS', task_key(id)) == 1 then
  return redis.error_reply('ERR task ' .. id .. ' already exists')
end
if ARGV[6] ~= '' and not reusable(ARGV[6]) then return redis.status_reply('RESULT_GONE') end
local earlier = claim_answer(7)
if earlier then return earlier end
return create_task(id, ARGV[3], ARGV[4], ARGV[5], 14, #ARGV, ARGV[6])
)lua";

// After kCreateTask and kClaimAnswer. ARGV: 2 batch id, 3 expires_at ms, 4 TTL deadline ms,
// 5 the batch as JSON, 6..12 the answer to record (kClaimAnswer), 13 number of tasks, then per
// task: id, priority, shared input id ('' for none), reused result ('' for none), number of HSET
// values, the values. Every task as kCreate makes it, and the batch, or nothing (an existing id
// fails, and a result gone or an earlier answer is returned, before any write). Returns the
// number of tasks, the status kResultGone, or the earlier answer (an array).
inline constexpr std::string_view kCreateBatch = R"lua(
local batch = ARGV[2]
if redis.call('EXISTS', batch_key(batch)) == 1 then
  return redis.error_reply('ERR batch ' .. batch .. ' already exists')
end
local tasks = {}
local at = 14
for n = 1, tonumber(ARGV[13]) do
  local count = tonumber(ARGV[at + 4])
  local task = {id = ARGV[at], priority = ARGV[at + 1], input = ARGV[at + 2],
                result = ARGV[at + 3], first = at + 5, last = at + 4 + count}
  if redis.call('EXISTS', task_key(task.id)) == 1 then
    return redis.error_reply('ERR task ' .. task.id .. ' already exists')
  end
  if task.result ~= '' and not reusable(task.result) then
    return redis.status_reply('RESULT_GONE')
  end
  tasks[n] = task
  at = task.last + 1
end
local earlier = claim_answer(6)
if earlier then return earlier end
for _, task in ipairs(tasks) do
  create_task(task.id, task.priority, ARGV[3], ARGV[4], task.first, task.last, task.result)
  if task.input ~= '' then
    redis.call('SADD', input_users_key(task.input), task.id)
    redis.call('PEXPIREAT', input_users_key(task.input), ARGV[4])
  end
end
redis.call('SET', batch_key(batch), ARGV[5])
redis.call('PEXPIREAT', batch_key(batch), ARGV[4])
redis.call('ZADD', batches_expiry_key, ARGV[3], batch)
return #tasks
)lua";

// ARGV: 2 batch id, then the batch's input ids. Returns 1 when the batch existed.
inline constexpr std::string_view kRemoveBatch = R"lua(
for i = 3, #ARGV do redis.call('DEL', input_users_key(ARGV[i])) end
redis.call('ZREM', batches_expiry_key, ARGV[2])
return redis.call('DEL', batch_key(ARGV[2]))
)lua";

// ARGV: 2 now ms, 3 limit. Removes up to `limit` batches with expires_at <= now, oldest first,
// with their inputs' user sets as kRemoveBatch does, and returns each one's JSON; one whose key
// Redis already expired (RedisConfig::hash_ttl_grace after it, with its inputs' user sets) is
// skipped.
inline constexpr std::string_view kRemoveExpiredBatches = R"lua(
local ids = redis.call('ZRANGEBYSCORE', batches_expiry_key, '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local bodies = {}
for _, id in ipairs(ids) do
  local body = redis.call('GET', batch_key(id))
  if body then
    bodies[#bodies + 1] = body
    for _, file in ipairs(cjson.decode(body).files) do
      redis.call('DEL', input_users_key(file.input_id))
    end
  end
  redis.call('DEL', batch_key(id))
  redis.call('ZREM', batches_expiry_key, id)
end
return bodies
)lua";

// ARGV: 2 the most batches. Returns the bodies of the batches with the latest expiry (every
// batch has the same TTL: the latest created), newest first, skipping any whose key is gone.
inline constexpr std::string_view kRecentBatches = R"lua(
local ids = redis.call('ZREVRANGE', batches_expiry_key, 0, tonumber(ARGV[2]) - 1)
local bodies = {}
for _, id in ipairs(ids) do
  local body = redis.call('GET', batch_key(id))
  if body then bodies[#bodies + 1] = body end
end
return bodies
)lua";

// ARGV: 2 input id, 3 task id. Returns 1 when no task uses the input any more.
inline constexpr std::string_view kReleaseInput = R"lua(
local key = input_users_key(ARGV[2])
redis.call('SREM', key, ARGV[3])
if redis.call('SCARD', key) == 0 then return 1 end
return 0
)lua";

// After kResultUsers. ARGV: 2 result id, 3 task id. Returns 1 when no task uses the result any
// more.
inline constexpr std::string_view kReleaseResult = R"lua(
return release_result(ARGV[2], ARGV[3])
)lua";

// ARGV: 2 id, 3 started_at ms, 4 attempt. No effect on a removed or terminal task.
inline constexpr std::string_view kMarkStarted = R"lua(
local key = task_key(ARGV[2])
local state = redis.call('HGET', key, 'state')
if not state or state == 'SUCCESS' or state == 'FAILURE' then return 0 end
redis.call('HSET', key, 'state', 'STARTED', 'started_at', ARGV[3], 'attempts', ARGV[4])
return 1
)lua";

// After kResultUsers. ARGV: 2 id, 3 finished_at ms, 4 how many recent failures to keep with this
// task first ('0': not a failure), 5 number of fields to delete, then those fields, then HSET
// field/value pairs (for a SUCCESS: state, finished_at, then the output's). For SUCCESS and
// FAILURE: no effect on a removed task (a DELETE wins over a late worker). A task with a
// callback_url owes its webhook from the same moment: pending, due at once in the outbox. A
// SUCCESS with a content key makes the task a user of its result, and the result its key's
// reusable one unless the key has one.
inline constexpr std::string_view kFinish = R"lua(
local id = ARGV[2]
local key = task_key(id)
if redis.call('EXISTS', key) == 0 then return 0 end
local deletes = tonumber(ARGV[5])
if deletes > 0 then redis.call('HDEL', key, unpack(ARGV, 6, 5 + deletes)) end
redis.call('HSET', key, unpack(ARGV, 6 + deletes))
local kept = tonumber(ARGV[4])
local reuse = redis.call('HMGET', key, 'content_key', 'result_id')
if kept == 0 and reuse[1] then
  local result = reuse[2] or id
  if redis.call('EXISTS', reuse_key(reuse[1])) == 0 then
    redis.call('HSET', reuse_key(reuse[1]), 'result_id', result, unpack(ARGV, 10 + deletes))
    redis.call('SET', result_reuse_key(result), reuse[1])
  end
  use_result(result, id, now_ms() + math.max(redis.call('PTTL', key), 0))
end
if kept > 0 then
  redis.call('LREM', failures_key, 0, id)
  redis.call('LPUSH', failures_key, id)
  redis.call('LTRIM', failures_key, 0, kept - 1)
end
local callback = redis.call('HGET', key, 'callback_url')
if callback and callback ~= '' then
  redis.call('HSET', key, 'webhook_state', 'pending', 'webhook_attempts', 0,
             'webhook_last_status', 0)
  redis.call('ZADD', webhooks_key, ARGV[3], id)
  redis.call('ZREM', webhook_claims_key, id)
  redis.call('ZREM', failing_webhooks_key, id)
end
return 1
)lua";

// Deletes one task: hash, expiry index member, webhook entries and queue entry (a worker holding a
// lease on it acks it as usual; a lease that expires instead is dropped when reclaimed).
inline constexpr std::string_view kRemoveTask = R"lua(
local function remove_task(id)
  local key = task_key(id)
  local where = redis.call('HMGET', key, 'priority', 'entry')
  if where[1] and where[2] then redis.call('XDEL', queue_key(where[1]), where[2]) end
  redis.call('ZREM', expiry_key, id)
  redis.call('ZREM', webhooks_key, id)
  redis.call('ZREM', webhook_claims_key, id)
  redis.call('ZREM', failing_webhooks_key, id)
  return redis.call('DEL', key)
end
)lua";

// ARGV: 2 id. Returns 1 when the task existed. A hash that Redis already expired leaves its
// expiry member in place, so that the sweeper still returns the id (and the blobs are removed).
inline constexpr std::string_view kRemove = R"lua(
if redis.call('EXISTS', task_key(ARGV[2])) == 0 then return 0 end
return remove_task(ARGV[2])
)lua";

// After kResultUsers and kRemoveTask. ARGV: 2 now ms, 3 limit. Removes up to `limit` tasks with
// expires_at <= now, oldest first, and returns for each its id and the result blob to remove
// ('' when other tasks still read it): a task that may share its result (or whose hash is gone,
// so that nobody knows) is released from it as kReleaseResult does. Atomic, so sweepers in
// several processes never return one id twice.
inline constexpr std::string_view kRemoveExpired = R"lua(
local ids = redis.call('ZRANGEBYSCORE', expiry_key, '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local removed = {}
for _, id in ipairs(ids) do
  local shared = redis.call('HMGET', task_key(id), 'content_key', 'result_id')
  local result = shared[2] or id
  local unused = 1
  if shared[1] or shared[2] or redis.call('EXISTS', task_key(id)) == 0 then
    unused = release_result(result, id)
  end
  remove_task(id)
  removed[#removed + 1] = id
  removed[#removed + 1] = unused == 1 and result or ''
end
return removed
)lua";

// ARGV: 2 how many. The task hashes (HGETALL, empty for a task gone since) of the latest
// failures, newest first.
inline constexpr std::string_view kRecentFailures = R"lua(
return task_hashes(redis.call('LRANGE', failures_key, 0, tonumber(ARGV[2]) - 1))
)lua";

}  // namespace image_resize::tasks::store_scripts
