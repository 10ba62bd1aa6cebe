#include "tasks/worker_controls.h"

namespace image_resize::tasks {
namespace {

// The value of the newer of two fields, when it is newer than `issued_after`.
template <class T>
std::optional<T> newest(const std::optional<T>& own, std::int64_t own_sequence,
                        const std::optional<T>& every, std::int64_t every_sequence,
                        std::int64_t issued_after) {
  const bool own_wins = own_sequence >= every_sequence;
  const std::int64_t sequence = own_wins ? own_sequence : every_sequence;
  if (sequence <= issued_after) return std::nullopt;
  return own_wins ? own : every;
}

}  // namespace

TargetControls TargetControls::with(const WorkerCommand& command, std::int64_t sequence) const {
  TargetControls next = *this;
  if (command.concurrency) {
    next.concurrency = command.concurrency;
    next.concurrency_sequence = sequence;
  }
  if (command.paused) {
    next.paused = command.paused;
    next.paused_sequence = sequence;
  }
  return next;
}

WorkerCommand settings_for(const TargetControls& own, const TargetControls& every,
                           std::int64_t issued_after) {
  return {.concurrency = newest(own.concurrency, own.concurrency_sequence, every.concurrency,
                                every.concurrency_sequence, issued_after),
          .paused = newest(own.paused, own.paused_sequence, every.paused, every.paused_sequence,
                           issued_after)};
}

}  // namespace image_resize::tasks
