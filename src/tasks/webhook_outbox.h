#pragma once
// Port: the webhooks still to be delivered (a SQLite table in `serve`, a Redis sorted set in the
// scaled-out mode). An entry is made by TaskStore::mark_succeeded / mark_failed, in the same
// transaction as the final state, for a task with a callback_url: a crash between finishing a
// task and delivering its webhook loses nothing. Delivery is at least once: a claim that is
// neither settled nor rescheduled before it runs out (its deliverer died) is due again.
// Removing a task (DELETE, expiry) removes its entry.
// Thread safety: every method may be called from any thread at once.

#include <chrono>
#include <cstddef>
#include <vector>

#include "core/result.h"
#include "core/task.h"

namespace image_resize::tasks {

class WebhookOutbox {
 public:
  virtual ~WebhookOutbox() = default;

  // Up to `limit` deliveries due at `now`, the longest due first, each claimed until
  // now + `claim`: until then no other call returns it.
  virtual core::Result<std::vector<core::TaskId>> claim_due(core::TimePoint now, std::size_t limit,
                                                            std::chrono::milliseconds claim) = 0;
  // The delivery is over (delivered, or failed for good): records `delivery` on the task and
  // removes the entry. No effect on a task that was removed meanwhile.
  virtual core::Status settle(const core::TaskId& id, const core::WebhookDelivery& delivery) = 0;
  // Another attempt is due at `next`: records `delivery` (state pending) on the task and moves the
  // entry's due time. No effect on a task that was removed meanwhile.
  virtual core::Status reschedule(const core::TaskId& id, const core::WebhookDelivery& delivery,
                                  core::TimePoint next) = 0;
  // Every claim taken before is due at once. `serve` calls it at start: being the only deliverer,
  // it knows the claims left by an earlier run were its own and died with it.
  virtual core::Status release_claims() = 0;
  // Up to `limit` tasks whose webhook failed, or whose last attempt did, most recently finished
  // first (for the dashboard).
  virtual core::Result<std::vector<core::TaskRecord>> failing(std::size_t limit) = 0;
  // Deliveries waiting or in flight (for /metrics).
  virtual core::Result<std::size_t> backlog() = 0;
};

}  // namespace image_resize::tasks
