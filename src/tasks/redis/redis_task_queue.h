#pragma once
// TaskQueue on Redis Streams, for the scaled-out mode: one stream per priority, filled by
// RedisTaskStore::create, with one consumer group (kConsumerGroup) shared by every worker.
// - lease(): a Lua script takes, high priority first, the oldest entry whose lease expired
//   (XPENDING IDLE + XCLAIM) or else the oldest new one (XREADGROUP >), atomically. When there is
//   none it waits with a plain XREAD BLOCK on the three streams after their newest entries: a
//   wake-up only, which claims nothing, so nothing needs putting back and the next script run
//   still picks by priority. Every waiter wakes for a new entry and one of them gets it; rounds
//   last at most RedisConfig::block_round, after which expired leases are looked for again.
// - The lease token is "<entry id>/<delivery>/<consumer>". The entry's pending-list consumer and
//   delivery count must still match it for ack(), renew(), release() and retry() to act: a
//   reclaim by another consumer changes both, so a stale holder's ack, release or retry is
//   ignored (and ok), and its renew() answers false.
// - A freed entry stays pending, moved to a consumer of this queue's own ('~handed-back',
//   '~worker-dead') that names why, and looks expired, so the next lease() reclaims it.
// - reclaim_from_silent_workers() reads the heartbeats that RedisWorkerRegistry writes (scored by
//   Redis' clock) and deletes the consumers of dead workers, so names do not pile up.
// - Entries of removed tasks are deleted from their stream by the store; one that was leased
//   then is dropped from the pending list when its lease is reclaimed, or acked by its worker.
// Lease expiry is judged by Redis' clock (pending-list idle time), not by the workers' clocks.
// Thread safety: every method from any thread at once.

#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "tasks/redis/redis_client.h"
#include "tasks/task_queue.h"

namespace image_resize::tasks {

class RedisTaskQueue final : public TaskQueue {
 public:
  explicit RedisTaskQueue(std::shared_ptr<RedisClient> client);

  // `consumer` names the worker in the consumer group (e.g. "<host>-<pid>-<thread>"); it should
  // be stable for a worker thread and unique across the deployment. After interrupt(), returns
  // nullopt at once without leasing.
  core::Result<std::optional<Lease>> lease(const std::string& consumer,
                                           std::chrono::milliseconds wait) override;
  core::Status ack(const Lease& lease) override;
  core::Status release(const Lease& lease, std::chrono::milliseconds delay) override;
  core::Status retry(const Lease& lease, std::chrono::milliseconds delay) override;
  core::Result<bool> renew(const Lease& lease) override;
  core::Result<std::size_t> release_all(const std::string& consumer) override;
  core::Result<std::size_t> reclaim_from_silent_workers(std::chrono::milliseconds silence) override;
  std::chrono::milliseconds lease_duration() const override {
    return client_->config().lease_duration;
  }
  // Sticky: every later lease() returns nullopt at once too. Blocked calls return within one
  // block_round.
  void interrupt() override;
  // XLEN of each stream: entries are deleted on ack, so this counts waiting and leased tasks.
  core::Result<QueueDepth> depth() override;
  core::Result<OldestWaiting> oldest_waiting() override;

 private:
  struct Attempt {
    std::optional<Lease> lease;
    std::array<std::string, 3> newest_entries;  // when there is no lease: where XREAD waits from
  };
  // One run of the lease script.
  core::Result<Attempt> try_lease(const std::string& consumer);
  // Runs kAck, kRenew or kFree for `lease` (with `extra` arguments after the lease's) and
  // returns whether the lease was still current; a token that is not ours is not.
  core::Result<bool> on_held_lease(std::string_view script, const Lease& lease,
                                   std::vector<std::string> extra = {});

  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;

  std::atomic<bool> interrupted_{false};
};

}  // namespace image_resize::tasks
