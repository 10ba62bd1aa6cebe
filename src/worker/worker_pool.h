#pragma once
// The worker loop: lease a task → run it → store the result → record the outcome → ack.
// Knows only the ports, so the same loop runs on SQLite (`serve`) and on Redis (`worker`).
// Leases are renewed while their tasks run (LeaseKeeper); a task whose lease was lost meanwhile
// has its result dropped. A task whose result or outcome cannot be stored is handed back at
// once, to be run again after the loop's backoff; a loop whose queue calls failed hands back
// whatever its consumer may still hold before it leases again.
//
// config.resize_slots resizes run at once (resize slots), but each slot has two loops: a loop holds
// the slot from its lease to the end of the resize, so while one loop stores its result and
// records it (file and directory fsyncs, the store's writes) the other is already leasing and
// resizing the next task. Without this a slot, and its core, sat idle for every task's I/O.
// Thread safety: start() and stop() from one controlling thread; the observer is called from
// worker threads.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/limits.h"
#include "imaging/image_processor.h"
#include "metrics/registry.h"
#include "storage/blob_store.h"
#include "tasks/task_queue.h"
#include "tasks/task_store.h"
#include "worker/lease_keeper.h"
#include "worker/recent_activity.h"
#include "worker/resize_slots.h"
#include "worker/source_fetcher.h"
#include "worker/worker_config.h"

namespace image_resize::worker {

class ResizeSlot;  // worker_pool.cpp

class WorkerPool {
 public:
  // Called after a task reached SUCCESS or FAILURE (to wake long-polls).
  using FinishedObserver = std::function<void(const core::TaskId&)>;

  // `limits`: what an input may cost (pixels, frames, output side, time), the upload's limits.
  WorkerPool(WorkerConfig config, core::Limits limits, tasks::TaskStore& tasks,
             tasks::TaskQueue& queue, storage::BlobStore& blobs, imaging::ImageProcessor& images,
             outbound::OutboundClient& outbound, metrics::Registry& metrics,
             FinishedObserver on_finished);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  // Stops taking tasks (a task leased meanwhile is handed back unstarted) and waits up to
  // `grace` for tasks in progress to finish. Returns false if some did not: those are handed
  // back at once, for another worker to run again.
  bool stop(std::chrono::milliseconds grace);

  // Operators' controls, from any thread. Resizes at once from now on, within
  // 1..config.max_resize_slots() (the imaging helpers follow): a lower number takes effect as
  // running tasks finish, and a task leased meanwhile by a loop over it is handed back unstarted.
  void set_concurrency(int slots);
  // Paused: leases nothing new (a task leased as the pause began is handed back unstarted),
  // finishes what it holds, and still beats.
  void set_paused(bool paused);

  // Tasks resizing now (at most the concurrency).
  int busy() const { return busy_.load(); }
  // What this process's heartbeat reports: name, threads, busy, the last minute's outcomes.
  core::WorkerStatus status() const;

 private:
  // How one leased task ended for its loop.
  enum class Processed {
    done,          // outcome recorded and acked, or nothing left to do (deleted, lease lost)
    store_failed,  // the store or blob store failed: hand the task back, back off
    unacked,       // recorded, but the queue failed: the consumer may still hold the lease
  };

  // Starts loops up to `loops` in all; the caller holds exit_mutex_.
  void start_loops(int loops);
  void run_loop(int index);
  // The first lease call after a queue failure: hands back what `consumer` may still hold.
  // false when the queue still fails (the caller backs off).
  bool recover_consumer(const std::string& consumer);
  // Gives the lease back for the task to run again after `delay`; false (and logged) when the
  // queue failed.
  bool hand_back(const tasks::Lease& lease, std::chrono::milliseconds delay);
  void count_reclaim(const tasks::Lease& lease);
  // One leased task, start to finish; gives `slot` back once the resize is done.
  Processed process(const tasks::Lease& lease, ResizeSlot& slot);
  // true (and logged) when the lease was lost: the caller records nothing for the task.
  bool lease_lost(const tasks::Lease& lease);
  Processed finish(const tasks::Lease& lease, const core::TaskRecord& task);
  // A task by URL whose input is not stored yet: fetches and stores it, with `slot` given back
  // meanwhile. nullopt when the input is stored now; otherwise how the task ended for the loop
  // (failed, or handed back to try the fetch again later).
  std::optional<Processed> fetch_input(const tasks::Lease& lease, const core::TaskRecord& task,
                                       ResizeSlot& slot);
  // The task's input read back damaged (blob_damaged): counted as an attempt, since a transfer
  // may have damaged it, and after max_attempts the task ends FAILURE instead of being handed
  // back for ever.
  Processed damaged_input(const tasks::Lease& lease, const core::TaskRecord& task,
                          const core::Error& error);
  // Another attempt at the task after `delay` (counted against --max-attempts); unacked, and
  // logged, when the queue failed.
  Processed retry(const tasks::Lease& lease, std::chrono::milliseconds delay);
  // Records FAILURE and finishes the task.
  Processed fail(const tasks::Lease& lease, const core::TaskRecord& task,
                 const core::TaskFailure& failure, double processing_seconds);
  // Ends the task FAILURE worker_crashed: it was tried max_attempts times, and each time its
  // worker or imaging process died.
  Processed give_up(const tasks::Lease& lease, const core::TaskRecord& task);
  // Metrics and recent activity of a finished task: `failure` is its error code, or nullopt
  // for SUCCESS.
  void record_outcome(const core::TaskRecord& task, std::optional<core::ErrorCode> failure,
                      double processing_seconds);

  // Constant after construction.
  const WorkerConfig config_;
  const core::Limits limits_;
  tasks::TaskStore& tasks_;
  tasks::TaskQueue& queue_;
  storage::BlobStore& blobs_;
  imaging::ImageProcessor& images_;
  SourceFetcher sources_;
  metrics::Registry& metrics_;
  const FinishedObserver on_finished_;
  const core::TimePoint started_at_ = core::now();

  LeaseKeeper leases_;
  std::vector<std::thread> threads_;  // guarded by exit_mutex_ until stop() joins them
  std::atomic<bool> stopping_{false};
  ResizeSlots resize_slots_;
  std::atomic<int> busy_{0};  // slots taken
  RecentActivity recent_;
  std::mutex exit_mutex_;
  std::condition_variable exited_;
  int running_ = 0;  // guarded by exit_mutex_: loops not yet returned
};

}  // namespace image_resize::worker
