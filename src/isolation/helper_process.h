#pragma once
// One child process started from our own binary, connected by a Unix socket pair: the parent
// holds one end, the child gets the other as file descriptor 3. The child runs in its own
// process group (a terminal's Ctrl-C reaches only the parent, which drains and then closes the
// socket) with default signal handling, and inherits no other descriptor.
// Thread safety: one thread at a time per object.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace image_resize::isolation {

// The descriptor a helper finds its socket on.
inline constexpr int kHelperSocketFd = 3;

class HelperProcess {
 public:
  // Starts `argv` (argv[0] is the program) from /proc/self/exe, the binary this process runs.
  static core::Result<std::unique_ptr<HelperProcess>> spawn(const std::vector<std::string>& argv);
  // Closes the socket, which tells the child to exit, and reaps it (killing it after a second).
  ~HelperProcess();
  HelperProcess(const HelperProcess&) = delete;
  HelperProcess& operator=(const HelperProcess&) = delete;

  pid_t pid() const { return pid_; }
  int socket() const { return socket_; }
  // Kills the child if it still runs, reaps it, and says how it ended, e.g. "killed by signal 6
  // (Aborted)" or "exited with code 1". For a child that failed an exchange.
  std::string kill_and_reap();

 private:
  HelperProcess(pid_t pid, int socket) : pid_(pid), socket_(socket) {}

  pid_t pid_;
  int socket_;
  bool reaped_ = false;
};

}  // namespace image_resize::isolation
