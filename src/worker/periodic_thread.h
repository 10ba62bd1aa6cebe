#pragma once
// Runs a function at once and then every `interval` on its own thread, until stop(), which
// wakes it from its wait rather than letting it sleep out the interval. The sweeper and the
// heartbeat are built on it.
// Thread safety: start() and stop() from one controlling thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace image_resize::worker {

class PeriodicThread {
 public:
  PeriodicThread() = default;
  ~PeriodicThread() { stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // No effect when already running.
  void start(std::function<void()> tick, std::chrono::milliseconds interval);
  // Waits for a tick in progress to end. Idempotent.
  void stop();
  bool running() const { return thread_.joinable(); }

 private:
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
};

}  // namespace image_resize::worker
