#pragma once
// For the bench tools' tests: runs a tool through the shell and keeps its stdout and exit code,
// as bench/run.sh uses them.

#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace image_resize::bench {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout
  nlohmann::json json() const { return nlohmann::json::parse(output, nullptr, false); }
};

inline Outcome run(const std::string& command) {
  Outcome outcome;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    outcome.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

}  // namespace image_resize::bench
