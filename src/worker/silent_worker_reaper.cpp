#include "worker/silent_worker_reaper.h"

#include <string>

#include "core/log.h"
#include "core/worker_status.h"

namespace image_resize::worker {

SilentWorkerReaper::SilentWorkerReaper(tasks::TaskQueue& queue,
                                       std::chrono::milliseconds heartbeat_interval)
    : queue_(queue), heartbeat_interval_(heartbeat_interval) {}

void SilentWorkerReaper::start() {
  thread_.start([this] { reap(); }, heartbeat_interval_);
}

void SilentWorkerReaper::reap() {
  const auto silence = core::silent_after(heartbeat_interval_);
  auto reclaimed = queue_.reclaim_from_silent_workers(silence);
  if (!reclaimed.ok()) {
    core::log::warn("cannot look for the tasks of silent workers",
                    {{"error", reclaimed.error().log_message()}});
  } else if (*reclaimed > 0) {
    // Each task is logged with its id by the worker that takes it ("task reclaimed").
    core::log::warn(
        "tasks of a silent worker handed out again",
        {{"count", std::to_string(*reclaimed)}, {"silent_ms", std::to_string(silence.count())}});
  }
}

}  // namespace image_resize::worker
