#pragma once
// The Lua scripts of RedisWebhookOutbox. Each runs atomically in Redis, after kLuaKeys (ARGV[1]
// is the key prefix; webhooks_key, webhook_claims_key and failing_webhooks_key name the keys of
// redis_keys.h). Times are the callers' Unix ms, as finished_at is.

#include <string_view>

namespace image_resize::tasks::webhook_scripts {

// ARGV: 2 now ms, 3 limit, 4 end of the claim ms. Up to `limit` ids due at `now`, the longest due
// first, each moved to the end of its claim and noted as claimed.
inline constexpr std::string_view kClaimDue = R"lua(
local ids = redis.call('ZRANGEBYSCORE', webhooks_key, '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do
  redis.call('ZADD', webhooks_key, ARGV[4], id)
  redis.call('ZADD', webhook_claims_key, ARGV[4], id)
end
return ids
)lua";

// ARGV: 2 id, 3 state, 4 attempts, 5 last status, 6 failing deliveries kept. Puts the delivery
// on the task's hash, and the task in the failing index (newest finished first, trimmed) when
// the webhook failed or its last attempt did, out of it otherwise.
inline constexpr std::string_view kRecordDelivery = R"lua(
local function record_delivery(id)
  local key = task_key(id)
  local state, attempts = ARGV[3], tonumber(ARGV[4])
  redis.call('HSET', key, 'webhook_state', state, 'webhook_attempts', ARGV[4],
             'webhook_last_status', ARGV[5])
  if state == 'failed' or (state == 'pending' and attempts > 0) then
    local finished = redis.call('HGET', key, 'finished_at') or 0
    redis.call('ZADD', failing_webhooks_key, finished, id)
    redis.call('ZREMRANGEBYRANK', failing_webhooks_key, 0, -(tonumber(ARGV[6]) + 1))
  else
    redis.call('ZREM', failing_webhooks_key, id)
  end
end
)lua";

// After kRecordDelivery. The entry leaves the outbox; the delivery is recorded on a task that
// still exists. Returns 1, or 0 when the task is gone.
inline constexpr std::string_view kSettle = R"lua(
local id = ARGV[2]
redis.call('ZREM', webhooks_key, id)
redis.call('ZREM', webhook_claims_key, id)
if redis.call('EXISTS', task_key(id)) == 0 then return 0 end
record_delivery(id)
return 1
)lua";

// After kRecordDelivery; ARGV 7: when the next attempt is due, ms. The entry waits until then, no
// longer claimed. Returns 1, or 0 when the entry or the task is gone.
inline constexpr std::string_view kReschedule = R"lua(
local id = ARGV[2]
if not redis.call('ZSCORE', webhooks_key, id) then return 0 end
if redis.call('EXISTS', task_key(id)) == 0 then return 0 end
record_delivery(id)
redis.call('ZADD', webhooks_key, ARGV[7], id)
redis.call('ZREM', webhook_claims_key, id)
return 1
)lua";

// ARGV: 2 now ms. Every claimed entry is due at `now`, or stays where it is if its claim already
// ran out; entries waiting for a backoff are not claims and keep their time. Returns how many.
inline constexpr std::string_view kReleaseClaims = R"lua(
local now = tonumber(ARGV[2])
local claimed = redis.call('ZRANGE', webhook_claims_key, 0, -1)
for _, id in ipairs(claimed) do
  local due = redis.call('ZSCORE', webhooks_key, id)
  if due and tonumber(due) > now then redis.call('ZADD', webhooks_key, 'XX', now, id) end
end
redis.call('DEL', webhook_claims_key)
return #claimed
)lua";

// ARGV: 2 how many. The task hashes of the failing index, most recently finished first.
inline constexpr std::string_view kFailing = R"lua(
return task_hashes(redis.call('ZREVRANGE', failing_webhooks_key, 0, tonumber(ARGV[2]) - 1))
)lua";

}  // namespace image_resize::tasks::webhook_scripts
