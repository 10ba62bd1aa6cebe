#include "support/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace image_resize::testing {

pid_t start_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> raw_argv;
  for (const auto& arg : argv) raw_argv.push_back(const_cast<char*>(arg.c_str()));
  raw_argv.push_back(nullptr);
  const int mode = O_WRONLY | O_CREAT | O_CLOEXEC | (options.append_output ? O_APPEND : O_TRUNC);
  const int output_fd = ::open(options.output.c_str(), mode, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (output_fd < 0 || null_fd < 0) {
    ADD_FAILURE() << "cannot open " << options.output << " or /dev/null";
    if (output_fd >= 0) ::close(output_fd);
    if (null_fd >= 0) ::close(null_fd);
    return -1;
  }
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, options.death_signal);
    if (::getppid() != parent) ::_exit(127);  // the parent is already gone
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(output_fd, STDOUT_FILENO);
    ::dup2(output_fd, STDERR_FILENO);
    // The test runner may block signals; the child must see SIGTERM as a fresh process would.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(raw_argv[0], raw_argv.data());
    ::_exit(127);
  }
  ::close(output_fd);
  ::close(null_fd);
  if (child < 0) {
    ADD_FAILURE() << "fork failed: " << std::strerror(errno);
    return -1;
  }
  return child;
}

}  // namespace image_resize::testing
