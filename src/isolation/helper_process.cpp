#include "isolation/helper_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace image_resize::isolation {
namespace {

core::Error spawn_error(std::string detail) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "cannot start an imaging process: " + std::move(detail));
}

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  }
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  return "ended with status " + std::to_string(status);
}

// Owns the spawn attributes and file actions for the length of one posix_spawn.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

core::Result<std::unique_ptr<HelperProcess>> HelperProcess::spawn(
    const std::vector<std::string>& argv) {
  int ends[2];
  // CLOEXEC on both: helpers spawned at the same time by other threads must not inherit them.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    return spawn_error(std::string("socketpair: ") + std::strerror(errno));
  }
  SpawnSetup setup;
  // dup2 onto fd 3 clears CLOEXEC on the copy; everything above it is closed.
  posix_spawn_file_actions_adddup2(&setup.actions, ends[1], kHelperSocketFd);
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, kHelperSocketFd + 1);
  // The parent blocks SIGTERM/SIGINT for its signal thread; the child gets defaults back.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (int signal : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) sigaddset(&default_signals, signal);
  posix_spawnattr_setsigmask(&setup.attributes, &no_signals);
  posix_spawnattr_setsigdefault(&setup.attributes, &default_signals);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int failed = ::posix_spawn(&pid, "/proc/self/exe", &setup.actions, &setup.attributes,
                                   args.data(), environ);
  ::close(ends[1]);
  if (failed != 0) {
    ::close(ends[0]);
    return spawn_error(std::string("posix_spawn: ") + std::strerror(failed));
  }
  return std::unique_ptr<HelperProcess>(new HelperProcess(pid, ends[0]));
}

HelperProcess::~HelperProcess() {
  ::close(socket_);
  if (reaped_) return;
  // The helper exits when it reads the end of its socket; it may be finishing a resize.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill_and_reap();
}

std::string HelperProcess::kill_and_reap() {
  if (reaped_) return "already reaped";
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t waited = 0;
  do {
    waited = ::waitpid(pid_, &status, 0);
  } while (waited < 0 && errno == EINTR);
  reaped_ = true;
  if (waited != pid_) return std::string("not reaped: ") + std::strerror(errno);
  return describe_wait_status(status);
}

}  // namespace image_resize::isolation
