#pragma once
// Process-level plumbing of the modes: the data-dir lock and waiting for a stop signal.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "core/result.h"

namespace image_resize::app {

// An exclusive lock on <data_dir>/LOCK, held for the life of the object: two `serve` processes
// on one data dir would each reclaim the other's leases.
class DataDirLock {
 public:
  static core::Result<std::unique_ptr<DataDirLock>> acquire(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

// Blocks SIGTERM, SIGINT and SIGHUP in this thread and every thread started after it, so that
// only wait_for_stop_signal() receives them. Call first thing, before any thread starts.
void block_stop_signals();
// Waits for SIGTERM or SIGINT and returns its name; runs `on_reload` on each SIGHUP meanwhile.
const char* wait_for_stop_signal(const std::function<void()>& on_reload = {});

}  // namespace image_resize::app
