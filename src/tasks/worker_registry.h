#pragma once
// Port: the worker processes heard from lately and what each last said (a table in `serve`, a
// Redis hash in the scaled-out mode), so that any API process can show every worker on the
// dashboard. Workers call beat() every few seconds; a worker silent for kForgetAfter is dropped.
// Thread safety: every method may be called from any thread at once. Calls may block.

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/worker_status.h"

namespace image_resize::tasks {

class WorkerRegistry {
 public:
  // A worker that has not beaten for this long is forgotten (it is shown as not alive until then).
  static constexpr std::chrono::hours kForgetAfter{1};

  virtual ~WorkerRegistry() = default;

  // Records the worker's status, replacing its earlier one (status.name is the key).
  virtual core::Status beat(const core::WorkerStatus& status) = 0;
  // The worker stopped cleanly: forget it now.
  virtual core::Status leave(const std::string& name) = 0;
  // Every worker heard from within kForgetAfter, the most recently seen first.
  virtual core::Result<std::vector<core::WorkerStatus>> list() = 0;
};

}  // namespace image_resize::tasks
