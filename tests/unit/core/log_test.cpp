// core::log: each line reaches stderr whole, also when several processes share it (serve and
// its imaging helpers write to the same stderr).

#include "core/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::core::log {
namespace {

constexpr int kProcesses = 4;
constexpr int kLinesEach = 400;

TEST(Log, LinesFromProcessesSharingStderrNeverInterleave) {
  testing::TempDir dir;
  // As `image-resize serve 2>log` opens it: no O_APPEND, one offset shared by every process.
  const std::string path = (dir.path() / "stderr.log").string();
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(file, 0);
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::dup2(file, STDERR_FILENO);
      const std::string padding(200 + 50 * p, 'a' + static_cast<char>(p));
      for (int i = 0; i < kLinesEach; ++i) {
        info("line", {{"process", std::to_string(p)}, {"n", std::to_string(i)}, {"pad", padding}});
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  ::close(file);
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  const std::regex whole_line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info line process=(\d) n=(\d+) pad=([a-z]+))");
  std::vector<int> seen(kProcesses, 0);
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, whole_line)) << "line " << lines << ": " << line;
    const int process = std::stoi(match[1]);
    EXPECT_EQ(std::stoi(match[2]), seen[process]++) << line;
    EXPECT_EQ(match[3].length(), static_cast<std::size_t>(200 + 50 * process)) << line;
  }
  EXPECT_EQ(lines, kProcesses * kLinesEach);
}

}  // namespace
}  // namespace image_resize::core::log
