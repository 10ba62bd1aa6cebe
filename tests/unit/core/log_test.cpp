// core::log: each line reaches stderr whole, also when several processes share it (serve and
// its imaging helpers write to the same stderr).

#include "core/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::core::log {
namespace {

constexpr int kProcesses = 4;
constexpr int kLinesEach = 400;

// Every line of `in` is a whole `info("line", {{writer_key, w}, {"n", i}, {"pad", ...}})` line,
// each writer's n counts up from 0 with no line missing, and its pad is expected_pad(w, n).
template <class ExpectedPad>
void expect_whole_lines(std::istream& in, const std::string& writer_key, int writers,
                        ExpectedPad expected_pad) {
  // The padding is checked apart: std::regex recurses per character of a long match.
  // append(), not +: g++ 12 -O3 warns falsely (-Wrestrict) on a literal + std::string.
  const std::regex line_start(std::string(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info line )")
                                  .append(writer_key)
                                  .append(R"(=(\d) n=(\d+))"));
  std::vector<int> seen(static_cast<std::size_t>(writers), 0);
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    const std::size_t pad_at = line.find(" pad=");
    ASSERT_NE(pad_at, std::string::npos) << "line " << lines;
    const std::string start = line.substr(0, pad_at);
    std::smatch match;
    ASSERT_TRUE(std::regex_match(start, match, line_start)) << "line " << lines << ": " << start;
    const int writer = std::stoi(match[1]);
    const int n = std::stoi(match[2]);
    EXPECT_EQ(n, seen[static_cast<std::size_t>(writer)]++);
    EXPECT_EQ(line.substr(pad_at + 5), expected_pad(writer, n)) << "line " << lines;
  }
  EXPECT_EQ(lines, writers * kLinesEach);
}

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

  std::ifstream in(path);
  expect_whole_lines(in, "process", kProcesses, [](int process, int) {
    return std::string(static_cast<std::size_t>(200 + 50 * process),
                       static_cast<char>('a' + process));
  });
}

// Threads of one process writing at once to a pipe, some lines longer than PIPE_BUF (which a
// pipe may split): every line arrives whole.
TEST(Log, LinesFromThreadsWritingToAPipeNeverInterleave) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const int saved_stderr = ::dup(STDERR_FILENO);
  ASSERT_GE(saved_stderr, 0);
  ::dup2(ends[1], STDERR_FILENO);
  ::close(ends[1]);
  std::string received;
  std::thread reader([&] {
    char chunk[8192];
    for (ssize_t n; (n = ::read(ends[0], chunk, sizeof chunk)) > 0;) received.append(chunk, n);
  });
  constexpr int kThreads = 4;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([t] {
      for (int i = 0; i < kLinesEach; ++i) {
        // Every fifth line is longer than PIPE_BUF.
        const std::size_t length = i % 5 == 0 ? 6000 : static_cast<std::size_t>(100 + 30 * t);
        info("line", {{"thread", std::to_string(t)},
                      {"n", std::to_string(i)},
                      {"pad", std::string(length, static_cast<char>('a' + t))}});
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ::dup2(saved_stderr, STDERR_FILENO);  // closes the pipe's last write end: the reader ends
  ::close(saved_stderr);
  reader.join();
  ::close(ends[0]);

  std::istringstream in(received);
  expect_whole_lines(in, "thread", kThreads, [](int thread, int n) {
    const std::size_t length = n % 5 == 0 ? 6000 : static_cast<std::size_t>(100 + 30 * thread);
    return std::string(length, static_cast<char>('a' + thread));
  });
}

}  // namespace
}  // namespace image_resize::core::log
