#pragma once
// The Lua scripts of RedisTaskQueue. Each runs atomically in Redis, after kLuaKeys (ARGV[1] is
// the key prefix). A lease is an entry in the consumer group's pending list (PEL): its consumer
// and delivery count there identify the current holder, since a reclaim (XCLAIM) changes both.

#include <string_view>

namespace image_resize::tasks::queue_scripts {

// ARGV: 2 group, 3 consumer, 4 lease duration ms.
// In priority order, high first: the oldest entry whose lease expired (pending, idle for at
// least the lease duration), else the oldest entry never delivered. Returns
// {'lease', priority index, entry id, task id, delivery, reclaim reason (see tasks::Reclaim)} or,
// when there is nothing,
// {'wait', newest entry id of each stream} for the caller's XREAD BLOCK to wait after.
// Creates the consumer group of a stream that has none (first use, or Redis lost its data).
inline constexpr std::string_view kLease = R"lua(
local group, consumer, lease_ms = ARGV[2], ARGV[3], ARGV[4]
local priorities = {'high', 'normal', 'low'}

local function task_id_of(fields)
  for i = 1, #fields, 2 do
    if fields[i] == 'task_id' then return fields[i + 1] end
  end
  return ''
end

local function reclaim_reason(holder)
  if holder == hand_back_consumer then return 'handed_back' end
  if holder == worker_dead_consumer then return 'worker_dead' end
  return 'lease_expired'
end

local function reclaim(stream)
  -- Bounded: each pass that finds no entry drops one deleted entry from the pending list.
  for _ = 1, 100 do
    local pending = redis.pcall('XPENDING', stream, group, 'IDLE', lease_ms, '-', '+', 1)
    if pending.err then
      if not string.find(pending.err, 'NOGROUP', 1, true) then error(pending) end
      redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
      return nil
    end
    if not pending[1] then return nil end
    local id, holder, count = pending[1][1], pending[1][2], pending[1][4]
    local claimed = redis.call('XCLAIM', stream, group, consumer, lease_ms, id)
    if claimed[1] then return {id, task_id_of(claimed[1][2]), count + 1, reclaim_reason(holder)} end
    -- The entry was deleted (its task was removed): forget the lease on it.
    redis.call('XACK', stream, group, id)
  end
  return nil
end

local function read_new(stream)
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 1,
                          'STREAMS', stream, '>')
  if not read then return nil end
  local entry = read[1][2][1]
  return {entry[1], task_id_of(entry[2]), 1, 'none'}
end

for index, priority in ipairs(priorities) do
  local stream = queue_key(priority)
  local lease = reclaim(stream) or read_new(stream)
  if lease then return {'lease', index - 1, lease[1], lease[2], lease[3], lease[4]} end
end
local newest = {'wait'}
for _, priority in ipairs(priorities) do
  local last = redis.call('XREVRANGE', queue_key(priority), '+', '-', 'COUNT', 1)
  newest[#newest + 1] = last[1] and last[1][1] or '0-0'
end
return newest
)lua";

// ARGV: 2 group, 3 priority, 4 entry id, 5 delivery, 6 consumer.
// true when that lease is still the current one: the entry is pending for that consumer with
// that delivery count. Anything else is a stale lease (reclaimed by another consumer, acked,
// released), whose holder must not touch the entry.
inline constexpr std::string_view kHeldLease = R"lua(
local function lease_is_current(stream)
  local pending = redis.pcall('XPENDING', stream, ARGV[2], ARGV[4], ARGV[4], 1)
  if pending.err or not pending[1] then return false end
  return pending[1][2] == ARGV[6] and pending[1][4] == tonumber(ARGV[5])
end
)lua";

// Finished: the entry leaves the pending list and the stream. Returns 1, or 0 for a stale lease.
inline constexpr std::string_view kAck = R"lua(
local stream = queue_key(ARGV[3])
if not lease_is_current(stream) then return 0 end
redis.call('XACK', stream, ARGV[2], ARGV[4])
redis.call('XDEL', stream, ARGV[4])
return 1
)lua";

// Still held: the entry's idle time starts again (XCLAIM to its own consumer; JUSTID keeps the
// delivery count). Returns 1, or 0 for a stale lease.
inline constexpr std::string_view kRenew = R"lua(
local stream = queue_key(ARGV[3])
if not lease_is_current(stream) then return 0 end
redis.call('XCLAIM', stream, ARGV[2], ARGV[6], 0, ARGV[4], 'JUSTID')
return 1
)lua";

// Not processed, or the attempt failed: the entry stays pending, moved to the hand-back
// consumer and made to look delivered ARGV 9 (the lease duration) minus ARGV 8 ms ago, so that
// lease() takes it after ARGV 8 ms (at once for 0), in its place in the stream. ARGV 7 is what
// to take back from its delivery count (1 for release: not an attempt; 0 for retry); the
// reclaim adds one. Returns 1, or 0 for a stale lease.
inline constexpr std::string_view kFree = R"lua(
local stream = queue_key(ARGV[3])
if not lease_is_current(stream) then return 0 end
local delay = tonumber(ARGV[8])
local delivered = 0
if delay > 0 then delivered = math.max(now_ms() - tonumber(ARGV[9]) + delay, 0) end
redis.call('XCLAIM', stream, ARGV[2], hand_back_consumer, 0, ARGV[4],
           'TIME', delivered, 'RETRYCOUNT', tonumber(ARGV[5]) - tonumber(ARGV[7]), 'JUSTID')
return 1
)lua";

// ARGV: 2 group, 3 consumer. Every entry pending for the consumer goes to the hand-back
// consumer, free at once, its delivery not counted. Returns how many.
inline constexpr std::string_view kReleaseAll = R"lua(
local freed = 0
for _, priority in ipairs({'high', 'normal', 'low'}) do
  local stream = queue_key(priority)
  local pending = redis.pcall('XPENDING', stream, ARGV[2], '-', '+', 1000, ARGV[3])
  if not pending.err then
    for _, entry in ipairs(pending) do
      redis.call('XCLAIM', stream, ARGV[2], hand_back_consumer, 0, entry[1],
                 'TIME', 0, 'RETRYCOUNT', math.max(entry[4] - 1, 0), 'JUSTID')
      freed = freed + 1
    end
  end
end
return freed
)lua";

// ARGV: 2 group, 3 silence ms. The consumers of worker processes whose last heartbeat (the
// workers:seen score, Redis' clock) is older than the silence, or missing: their entries idle
// for at least the silence go to the worker-dead consumer, free at once (their delivery counts:
// the dead process's attempt), and a consumer left with nothing, idle as long, is deleted.
// Consumers named '~…' are this queue's own. Returns how many entries were freed.
inline constexpr std::string_view kReclaimFromSilent = R"lua(
local group, silence = ARGV[2], tonumber(ARGV[3])
local alive_since = now_ms() - silence
local freed = 0
for _, priority in ipairs({'high', 'normal', 'low'}) do
  local stream = queue_key(priority)
  local consumers = redis.pcall('XINFO', 'CONSUMERS', stream, group)
  if not consumers.err then
    for _, info in ipairs(consumers) do
      local fields = {}
      for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
      local name = fields['name']
      local worker = string.match(name, '^(.*)%-%d+$') or name
      local seen = redis.call('ZSCORE', workers_seen_key, worker)
      if string.sub(name, 1, 1) ~= '~' and (not seen or tonumber(seen) < alive_since) then
        local pending = redis.call('XPENDING', stream, group, 'IDLE', silence, '-', '+', 1000, name)
        for _, entry in ipairs(pending) do
          redis.call('XCLAIM', stream, group, worker_dead_consumer, 0, entry[1],
                     'TIME', 0, 'JUSTID')
          freed = freed + 1
        end
        if fields['pending'] == #pending and fields['idle'] >= silence then
          redis.call('XGROUP', 'DELCONSUMER', stream, group, name)
        end
      end
    end
  end
end
return freed
)lua";

}  // namespace image_resize::tasks::queue_scripts
