#pragma once
// Settings of the worker pool. Loaded and validated by config/, owned here.

#include <chrono>
#include <string>

#include "core/result.h"

namespace image_resize::worker {

struct WorkerConfig {
  // Tasks resized at once, each with one libvips thread: throughput comes from many tasks in
  // parallel. 0 means one per core. The pool runs two loops per resize (see WorkerPool).
  int resize_slots = 0;
  // A task handed out this many times without finishing (its worker died each time) ends
  // FAILURE worker_crashed instead of being tried again.
  int max_attempts = 3;
  // How long one lease() call waits for work before the loop checks for shutdown.
  std::chrono::milliseconds poll_wait{500};
  // Pause after a store or queue error before trying again, doubled up to max_backoff.
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  // Name of this worker process in the queue (a consumer in Redis terms).
  std::string consumer_name = "worker";
  // How often this process tells the worker registry it is alive (for the dashboard, which
  // shows a worker as dead after three missed beats).
  std::chrono::milliseconds heartbeat_interval{2000};

  // Whether what operators set for this worker's name (concurrency, pause) before it started
  // applies to it (--persist-pool-size); otherwise it starts from the flags, and only what is
  // set after its start applies.
  bool persist_pool_size = false;

  core::Status validate() const;
  // resize_slots, or the number of cores when it is 0.
  int effective_resize_slots() const;
  // The most resize slots an operator may set at run time: cores × 2, or resize_slots when
  // that is more.
  int max_resize_slots() const;
};

}  // namespace image_resize::worker
