#pragma once
// ImageProcessor that runs every resize in a helper process (`image-resize imaging-helper`), so
// that a decoder crash (a libvips bug hit by a hostile file) costs one task attempt, not the
// process with its other tasks. One helper serves one resize at a time; the pool grows to the
// number of resizes running at once (the worker threads), and no further than set_concurrency()
// allows: helpers over it are stopped when idle. A helper that dies, or outlives a
// task's deadline by kKillMargin, is killed, reaped and replaced at once; the resize returns
// ErrorCode::worker_crashed or ErrorCode::timeout.
// probe() reads only the header and runs in this process.
// Thread safety: both methods from many threads at once.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "imaging/image_processor.h"
#include "isolation/helper_process.h"
#include "metrics/registry.h"

namespace image_resize::isolation {

class IsolatedImageProcessor final : public imaging::ImageProcessor {
 public:
  // Past a task's deadline, how long its helper has to answer before it is killed: libvips
  // checks the deadline itself, at tile batches, and this only catches a helper stuck elsewhere.
  static constexpr std::chrono::milliseconds kKillMargin{2000};

  // `helper_argv` starts a helper from this binary (argv[0] is its name in ps). `in_process`
  // answers probe(). Counts restarts and helper memory in `metrics`.
  IsolatedImageProcessor(std::vector<std::string> helper_argv, imaging::ImageProcessor& in_process,
                         metrics::Registry& metrics);
  ~IsolatedImageProcessor() override;

  // Starts `count` helpers now, so that the first tasks do not wait for them, and keeps at most
  // that many idle.
  core::Status prestart(int count);
  // Keeps `resizes_at_once` helpers: stops idle ones over it now, busy ones when they finish,
  // and starts the missing ones.
  void set_concurrency(int resizes_at_once) override;

  core::Result<imaging::ImageInfo> probe(std::string_view bytes,
                                         const core::Limits& limits) override;
  core::Result<imaging::ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                             const core::Limits& limits) override;
  // Passes the descriptor to the helper, which maps the file: the bytes are not copied
  // through this process or the socket.
  core::Result<imaging::ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                                  const core::Limits& limits) override;

  // Helpers alive now (idle or busy).
  std::vector<pid_t> helper_pids() const;

 private:
  // One resize in a helper: the input is `payload`, or the file `pass_fd` when it is >= 0.
  core::Result<imaging::ResizedImage> resize_in_helper(std::string_view payload, int pass_fd,
                                                       const core::ResizeSpec& spec,
                                                       const core::Limits& limits);
  core::Result<std::unique_ptr<HelperProcess>> take_idle();
  // Keeps the helper for the next resize, or stops it when more are alive than wanted.
  void give_back(std::unique_ptr<HelperProcess> helper);
  // Kills and reaps a helper that failed an exchange, and starts its replacement.
  std::string replace(std::unique_ptr<HelperProcess> helper, const char* reason);
  core::Result<std::unique_ptr<HelperProcess>> spawn();

  // Constant after construction.
  const std::vector<std::string> helper_argv_;
  imaging::ImageProcessor& in_process_;
  metrics::Registry& metrics_;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<HelperProcess>> idle_;  // guarded by mutex_
  std::vector<pid_t> alive_;                          // guarded by mutex_
  // Helpers to keep; 0 until prestart() or set_concurrency() says.
  std::size_t wanted_ = 0;  // guarded by mutex_
};

}  // namespace image_resize::isolation
