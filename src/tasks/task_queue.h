#pragma once
// Port: the work queue between the API and the workers (a SQLite table in `serve`, Redis Streams
// with a consumer group in the scaled-out mode). Tasks are put on it by TaskStore::create.
// Delivery is at least once: a lease that is neither renewed nor acked before it expires is
// handed out again, and so are the leases of a worker process whose heartbeats stopped.
// Thread safety: every method may be called from any thread at once. lease() blocks.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "core/task_id.h"

namespace image_resize::tasks {

// Why a delivery took the task back from an earlier holder.
enum class Reclaim {
  none,           // the first delivery
  lease_expired,  // its holder neither renewed nor finished it in time
  worker_dead,    // its holder's process stopped beating (or a new `serve` found it leased)
  handed_back,    // its holder gave it back unfinished (release, retry, release_all)
};
constexpr std::string_view to_string(Reclaim reason) {
  switch (reason) {
    case Reclaim::none: return "none";
    case Reclaim::lease_expired: return "lease_expired";
    case Reclaim::worker_dead: return "worker_dead";
    case Reclaim::handed_back: return "handed_back";
  }
  return "none";
}

// A worker process leases through one consumer per worker loop, named
// "<worker name>-<loop index>", so that a queue can tell whose process a lease belongs to.
inline std::string consumer_name(std::string_view worker, int loop) {
  return std::string(worker) + "-" + std::to_string(loop);
}
// The worker name of a consumer named by consumer_name() (the whole name otherwise).
inline std::string_view worker_of_consumer(std::string_view consumer) {
  const std::size_t dash = consumer.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == consumer.size()) return consumer;
  const std::string_view loop = consumer.substr(dash + 1);
  const bool digits = loop.find_first_not_of("0123456789") == std::string_view::npos;
  return digits ? consumer.substr(0, dash) : consumer;
}

struct Lease {
  core::TaskId task_id;
  core::Priority priority = core::Priority::normal;
  // 1 on the first delivery; one more each time an expired lease is handed out again.
  int delivery = 1;
  // Implementation detail that identifies this lease (a row token, a stream entry id).
  std::string token;
  Reclaim reclaimed = Reclaim::none;
};

struct QueueDepth {
  // Tasks waiting or leased, indexed by core::Priority (high, normal, low).
  std::array<std::uint64_t, 3> by_priority{};
  std::uint64_t total() const { return by_priority[0] + by_priority[1] + by_priority[2]; }
};

// When the oldest task that no worker has started yet was uploaded, indexed by core::Priority;
// nullopt where none waits. An autoscaler's signal: how far behind the workers are.
using OldestWaiting = std::array<std::optional<core::TimePoint>, 3>;

class TaskQueue {
 public:
  // How long a lease lasts from when it is taken or renewed (--lease). Workers renew every third
  // of it, so it need not exceed the longest resize: it bounds how long a worker that hangs, or
  // loses the store, keeps a task. A dead worker's tasks come back sooner, from its heartbeats.
  static constexpr std::chrono::milliseconds kDefaultLeaseDuration{30'000};

  virtual ~TaskQueue() = default;

  // The next task for `consumer`: high before normal before low, oldest first within a priority,
  // and tasks whose lease expired before new ones of the same priority. Waits up to `wait` for
  // work to arrive; nullopt when none did.
  virtual core::Result<std::optional<Lease>> lease(const std::string& consumer,
                                                   std::chrono::milliseconds wait) = 0;
  // The task is finished (its terminal state is recorded): remove it from the queue.
  virtual core::Status ack(const Lease& lease) = 0;
  // The lease still belongs to its holder: it now lasts lease_duration() from now. false (and
  // nothing changed) when it does not (it expired and was handed out again, or it was acked or
  // freed): the holder must stop treating the task as its own and record nothing for it.
  virtual core::Result<bool> renew(const Lease& lease) = 0;
  // The task was not finished through no fault of its own (the worker is shutting down, or could
  // not store): hand it out again after `delay` (0: at once), not counting this delivery.
  virtual core::Status release(const Lease& lease, std::chrono::milliseconds delay) = 0;
  // The attempt failed in a way the next one may not (its imaging process crashed, its source
  // was unreachable): hand the task out again after `delay` (0: at once), counting this delivery
  // toward the attempt limit.
  virtual core::Status retry(const Lease& lease, std::chrono::milliseconds delay) = 0;
  // Hands out again at once every task still leased to `consumer`, not counting those
  // deliveries: its holder no longer tracks them (an ack or release failed while the store was
  // away). Only the holder of `consumer` may call this, while it holds no lease. Returns how many.
  virtual core::Result<std::size_t> release_all(const std::string& consumer) = 0;
  // Hands out again at once the tasks leased by worker processes whose last heartbeat in the
  // WorkerRegistry of the same backend is older than `silence` (or that never beat), and whose
  // lease was taken or renewed at least `silence` ago; their consumers are forgotten. Counts as
  // a delivery (the dead process's attempt). Returns how many tasks.
  virtual core::Result<std::size_t> reclaim_from_silent_workers(
      std::chrono::milliseconds silence) = 0;
  // How long a lease lasts from when it is taken or renewed.
  virtual std::chrono::milliseconds lease_duration() const = 0;
  // Wake up every consumer blocked in lease() in this process (for shutdown).
  virtual void interrupt() = 0;

  virtual core::Result<QueueDepth> depth() = 0;
  virtual core::Result<OldestWaiting> oldest_waiting() = 0;
};

}  // namespace image_resize::tasks
