#include "worker/control_follower.h"

#include "core/log.h"

namespace image_resize::worker {

ControlFollower::ControlFollower(tasks::WorkerControls& controls, WorkerPool& pool,
                                 std::string name, bool persist)
    : controls_(controls),
      pool_(pool),
      name_(std::move(name)),
      issued_after_(persist ? std::make_optional<std::int64_t>(0) : std::nullopt) {}

void ControlFollower::follow() {
  auto warn = [&](const core::Error& error) {
    core::log::warn("worker controls unreadable; tried again at the next heartbeat",
                    {{"worker", name_}, {"error", error.log_message()}});
  };
  if (!issued_after_) {
    auto latest = controls_.latest();
    if (!latest.ok()) return warn(latest.error());
    issued_after_ = *latest;
  }
  auto settings = controls_.settings(name_, *issued_after_);
  if (!settings.ok()) return warn(settings.error());
  if (settings->concurrency) pool_.set_concurrency(*settings->concurrency);
  if (settings->paused) pool_.set_paused(*settings->paused);
}

}  // namespace image_resize::worker
