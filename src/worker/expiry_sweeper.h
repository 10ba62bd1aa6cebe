#pragma once
// Removes expired tasks and their blobs every `interval`, on its own thread.

#include <chrono>

#include "storage/blob_store.h"
#include "tasks/task_store.h"
#include "worker/periodic_thread.h"

namespace image_resize::worker {

class ExpirySweeper {
 public:
  ExpirySweeper(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                std::chrono::milliseconds interval);
  ~ExpirySweeper();
  ExpirySweeper(const ExpirySweeper&) = delete;
  ExpirySweeper& operator=(const ExpirySweeper&) = delete;

  void start();
  void stop();
  // One pass: removes every task and batch expired by `now`; returns how many tasks. Public for
  // tests.
  std::size_t sweep_once(core::TimePoint now);

 private:
  void sweep_batches(core::TimePoint now);
  void sweep_answers(core::TimePoint now);

  tasks::TaskStore& tasks_;
  storage::BlobStore& blobs_;
  const std::chrono::milliseconds interval_;
  PeriodicThread thread_;
};

}  // namespace image_resize::worker
