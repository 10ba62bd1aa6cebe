#include "app/process_control.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace image_resize::app {

core::Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(
    const std::filesystem::path& data_dir) {
  const auto path = data_dir / "LOCK";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return core::Error::make(core::ErrorCode::internal,
                             "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return core::Error::make(core::ErrorCode::internal,
                             "another image-resize process is using " + data_dir.string());
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }

namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client that disconnects mid-write must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
}

const char* wait_for_stop_signal(const std::function<void()>& on_reload) {
  const sigset_t set = stop_signals();
  for (;;) {
    int received = 0;
    if (sigwait(&set, &received) != 0) continue;
    if (received == SIGHUP) {
      if (on_reload) on_reload();
      continue;
    }
    return received == SIGTERM ? "SIGTERM" : "SIGINT";
  }
}

}  // namespace image_resize::app
