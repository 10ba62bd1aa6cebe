#include "worker/heartbeat.h"

#include "core/log.h"

namespace image_resize::worker {

Heartbeat::Heartbeat(tasks::WorkerRegistry& registry, StatusSource status,
                     std::chrono::milliseconds interval)
    : registry_(registry), status_(std::move(status)), interval_(interval) {}

Heartbeat::~Heartbeat() { stop(); }

void Heartbeat::start() {
  thread_.start([this] { beat(); }, interval_);
}

void Heartbeat::stop() {
  if (!thread_.running()) return;
  thread_.stop();  // joins: name_ is settled
  if (name_.empty()) return;
  if (auto left = registry_.leave(name_); !left.ok()) {
    core::log::warn("worker registry: leave failed",
                    {{"worker", name_}, {"error", left.error().log_message()}});
  }
}

void Heartbeat::beat() {
  core::WorkerStatus status = status_();
  name_ = status.name;
  if (auto beaten = registry_.beat(status); !beaten.ok()) {
    core::log::warn("worker registry: heartbeat failed",
                    {{"worker", status.name}, {"error", beaten.error().log_message()}});
  }
}

}  // namespace image_resize::worker
