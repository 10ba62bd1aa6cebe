#include "support/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string_view>

namespace image_resize::testing {

pid_t start_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> raw_argv;
  for (const auto& arg : argv) raw_argv.push_back(const_cast<char*>(arg.c_str()));
  raw_argv.push_back(nullptr);
  // The environment too: setenv() after fork could deadlock on a lock another thread held.
  std::vector<std::string> env_entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const bool replaced = std::any_of(options.env.begin(), options.env.end(), [&](const auto& var) {
      return text.starts_with(var.first + "=");
    });
    if (!replaced) env_entries.emplace_back(text);
  }
  for (const auto& [name, value] : options.env) env_entries.push_back(name + "=" + value);
  std::vector<char*> raw_env;
  for (auto& entry : env_entries) raw_env.push_back(entry.data());
  raw_env.push_back(nullptr);
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
    ::execve(raw_argv[0], raw_argv.data(), raw_env.data());
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

std::filesystem::path find_executable(std::string_view name,
                                      const std::vector<std::filesystem::path>& fallback_dirs) {
  std::vector<std::filesystem::path> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::istringstream entries(path);
    for (std::string dir; std::getline(entries, dir, ':');) {
      if (!dir.empty()) dirs.emplace_back(dir);
    }
  }
  dirs.insert(dirs.end(), fallback_dirs.begin(), fallback_dirs.end());
  for (const auto& dir : dirs) {
    const auto candidate = dir / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace image_resize::testing
