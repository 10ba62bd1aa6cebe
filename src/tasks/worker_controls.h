#pragma once
// Port: what operators asked of the workers — how many resizes each runs at once, and whether it
// is paused — kept where every worker process can read it (a table in `serve`, a Redis hash in
// the scaled-out mode). An API process issues a command for one worker or for every worker; each
// worker reads what applies to it at its heartbeat and applies it (worker::ControlFollower).
// Every command gets the next number of one sequence, so the newest wins field by field whatever
// the machines' clocks say, and a worker can ignore what was issued before it started.
// Thread safety: every method may be called from any thread at once. Calls may block.

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace image_resize::tasks {

// The target of a command for every worker.
inline constexpr std::string_view kEveryWorker = "*";

// What one command sets; a field left empty is not changed.
struct WorkerCommand {
  std::optional<int> concurrency;
  std::optional<bool> paused;

  bool empty() const { return !concurrency && !paused; }
};

// What the commands to one target (a worker, or every worker) set so far: each field with the
// sequence number of the command that set it last (0: never set).
struct TargetControls {
  std::optional<int> concurrency;
  std::int64_t concurrency_sequence = 0;
  std::optional<bool> paused;
  std::int64_t paused_sequence = 0;

  // These controls after `command`, issued as number `sequence`.
  TargetControls with(const WorkerCommand& command, std::int64_t sequence) const;
};

// What applies to one worker: each field from the newest command that set it, to the worker or
// to every worker, among those issued after a given sequence number.
WorkerCommand settings_for(const TargetControls& own, const TargetControls& every,
                           std::int64_t issued_after);

class WorkerControls {
 public:
  virtual ~WorkerControls() = default;

  // Records `command` for the worker named `target` (or kEveryWorker); returns its number.
  virtual core::Result<std::int64_t> issue(const std::string& target,
                                           const WorkerCommand& command) = 0;
  // The number of the latest command issued to anyone (0 when none was).
  virtual core::Result<std::int64_t> latest() = 0;
  // What applies to the worker `name` from the commands numbered above `issued_after`.
  virtual core::Result<WorkerCommand> settings(const std::string& name,
                                               std::int64_t issued_after) = 0;
};

}  // namespace image_resize::tasks
