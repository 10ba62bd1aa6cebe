#include "worker/expiry_sweeper.h"

#include "core/log.h"
#include "lifecycle/task_blobs.h"

namespace image_resize::worker {

namespace {
// Tasks removed per store transaction: keeps each transaction short for concurrent writers.
constexpr std::size_t kBatch = 500;
}  // namespace

ExpirySweeper::ExpirySweeper(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                             std::chrono::milliseconds interval)
    : tasks_(tasks), blobs_(blobs), interval_(interval) {}

ExpirySweeper::~ExpirySweeper() { stop(); }

void ExpirySweeper::start() {
  thread_.start([this] { sweep_once(core::now()); }, interval_);
}

void ExpirySweeper::stop() { thread_.stop(); }

std::size_t ExpirySweeper::sweep_once(core::TimePoint now) {
  std::size_t total = 0;
  for (;;) {
    auto expired = tasks_.remove_expired(now, kBatch);
    if (!expired.ok()) {
      core::log::error("expiry sweep failed", {{"error", expired.error().log_message()}});
      return total;
    }
    for (const tasks::ExpiredTask& task : *expired) lifecycle::remove_expired_blobs(blobs_, task);
    total += expired->size();
    if (expired->size() < kBatch) break;
  }
  if (total > 0) core::log::info("expired tasks removed", {{"count", std::to_string(total)}});
  sweep_batches(now);
  sweep_answers(now);
  return total;
}

// A batch expires with its tasks; the inputs its tasks shared go with it (normally the last task
// to end removed them already).
void ExpirySweeper::sweep_batches(core::TimePoint now) {
  for (;;) {
    auto expired = tasks_.remove_expired_batches(now, kBatch);
    if (!expired.ok()) {
      core::log::error("batch expiry sweep failed", {{"error", expired.error().log_message()}});
      return;
    }
    for (const core::BatchRecord& batch : *expired) lifecycle::remove_batch_inputs(blobs_, batch);
    if (expired->size() < kBatch) return;
  }
}

// Idempotency-Key answers outlive their tasks by design (a retry after the task expired still
// gets its answer), so they are swept on their own.
void ExpirySweeper::sweep_answers(core::TimePoint now) {
  for (;;) {
    auto removed = tasks_.remove_expired_answers(now, kBatch);
    if (!removed.ok()) {
      core::log::error("idempotency key expiry sweep failed",
                       {{"error", removed.error().log_message()}});
      return;
    }
    if (*removed < kBatch) return;
  }
}

}  // namespace image_resize::worker
