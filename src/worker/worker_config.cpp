#include "worker/worker_config.h"

#include <algorithm>
#include <thread>

namespace image_resize::worker {

core::Status WorkerConfig::validate() const {
  auto invalid = [](std::string message) {
    return core::Error::make(core::ErrorCode::internal, std::move(message));
  };
  if (resize_slots < 0 || resize_slots > 1024) return invalid("--workers must be 0..1024");
  if (max_attempts < 1 || max_attempts > 100) return invalid("--max-attempts must be 1..100");
  if (poll_wait.count() <= 0) return invalid("worker poll wait must be positive");
  if (heartbeat_interval.count() <= 0) return invalid("--heartbeat-interval must be positive");
  if (consumer_name.empty()) return invalid("worker consumer name must not be empty");
  return {};
}

namespace {
int cores() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? static_cast<int>(cores) : 1;
}
}  // namespace

int WorkerConfig::effective_resize_slots() const {
  return resize_slots > 0 ? resize_slots : cores();
}

int WorkerConfig::max_resize_slots() const {
  return std::max(2 * cores(), effective_resize_slots());
}

}  // namespace image_resize::worker
