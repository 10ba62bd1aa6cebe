#pragma once
// Starting the processes tests run beside them (image-resize, redis-server, nginx) the same way.

#include <sys/types.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace image_resize::testing {

struct ChildOptions {
  std::filesystem::path output;  // stdout and stderr go here
  bool append_output = false;    // else the file is truncated
  // Sent to the child when the thread that started it ends (PR_SET_PDEATHSIG), so that nothing
  // outlives a crashed or killed test: start children from the test's main thread.
  int death_signal = SIGKILL;
  // Set (or replaced) in the child's environment only; the rest is inherited.
  std::vector<std::pair<std::string, std::string>> env{};
};

// fork + execve of `argv` (argv[0] is a path) with stdin from /dev/null, output to
// options.output, this process's environment plus options.env, and no signal blocked (as a
// fresh process would start). Returns the child's pid, or -1 with a test failure added. The
// caller reaps it.
pid_t start_child(const std::vector<std::string>& argv, const ChildOptions& options);

// The first executable `name` in a directory of PATH, else in one of `fallback_dirs`; empty
// when there is none.
std::filesystem::path find_executable(std::string_view name,
                                      const std::vector<std::filesystem::path>& fallback_dirs = {});

}  // namespace image_resize::testing
