#pragma once
// Port: the work queue between the API and the workers (a SQLite table in `serve`, Redis Streams
// with a consumer group in the scaled-out mode). Tasks are put on it by TaskStore::create.
// Delivery is at least once: a lease that is not acked before it expires is handed out again.
// Thread safety: every method may be called from any thread at once. lease() blocks.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/resize_spec.h"
#include "core/result.h"
#include "core/task_id.h"

namespace image_resize::queue {

struct Lease {
  core::TaskId task_id;
  core::Priority priority = core::Priority::normal;
  // 1 on the first delivery; one more each time an expired lease is handed out again.
  int delivery = 1;
  // Implementation detail that identifies this lease (a row token, a stream entry id).
  std::string token;
};

struct QueueDepth {
  // Tasks waiting or leased, indexed by core::Priority (high, normal, low).
  std::array<std::uint64_t, 3> by_priority{};
  std::uint64_t total() const { return by_priority[0] + by_priority[1] + by_priority[2]; }
};

class TaskQueue {
 public:
  virtual ~TaskQueue() = default;

  // The next task for `consumer`: high before normal before low, oldest first within a priority,
  // and tasks whose lease expired before new ones of the same priority. Waits up to `wait` for
  // work to arrive; nullopt when none did.
  virtual core::Result<std::optional<Lease>> lease(const std::string& consumer,
                                                   std::chrono::milliseconds wait) = 0;
  // The task is finished (its terminal state is recorded): remove it from the queue.
  virtual core::Status ack(const Lease& lease) = 0;
  // The task was not processed (the worker is shutting down): hand it out again at once, and do
  // not count this delivery.
  virtual core::Status release(const Lease& lease) = 0;
  // The attempt failed in a way the next one may not (its imaging process crashed): hand the
  // task out again at once, counting this delivery toward the attempt limit.
  virtual core::Status retry(const Lease& lease) = 0;
  // Wake up every consumer blocked in lease() in this process (for shutdown).
  virtual void interrupt() = 0;

  virtual core::Result<QueueDepth> depth() = 0;
};

}  // namespace image_resize::queue
