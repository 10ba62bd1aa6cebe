#include "support/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <system_error>
#include <thread>

#include "support/child_process.h"

namespace image_resize::testing {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollInterval{10};

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ServerProcess::ServerProcess(ServerOptions options)
    : data_dir_(options.data_dir.empty() ? work_dir_.path() / "data" : options.data_dir),
      log_path_(work_dir_.path() / "server.log") {
  std::filesystem::path binary = options.binary;
  if (binary.empty()) {
    if (const char* from_env = std::getenv("IMAGE_RESIZE_BINARY")) binary = from_env;
  }
  if (binary.empty() || !std::filesystem::exists(binary)) {
    ADD_FAILURE() << "image-resize binary not found: '" << binary.string() << "'";
    return;
  }
  const bool has_port = options.mode != "worker";
  std::vector<std::string> argv{binary.string(), options.mode};
  if (has_port) argv.insert(argv.end(), {"--host", "127.0.0.1", "--port", "0"});
  argv.insert(argv.end(), {"--data-dir", data_dir_.string()});
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  spawn(argv, options);
  const bool spawned = pid_ > 0;  // waiting reaps a child that exits, resetting pid_
  started_ = spawned && wait_until_ready(options.start_timeout, has_port);
  if (spawned && !started_) {
    ADD_FAILURE() << "image-resize " << options.mode << " did not start within "
                  << options.start_timeout.count() << " ms; log tail:\n"
                  << log_tail();
    kill9();
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill9();
}

void ServerProcess::spawn(const std::vector<std::string>& argv, const ServerOptions& options) {
  const pid_t child = start_child(argv, {.output = log_path_, .env = options.env});
  if (child > 0) pid_ = child;
}

bool ServerProcess::wait_until_ready(std::chrono::milliseconds timeout, bool has_port) {
  static const std::regex kListening(R"( info listening .*\bport=(\d+))");
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const std::string text = log();
    std::smatch match;
    if (has_port && std::regex_search(text, match, kListening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return port_ != 0;
    }
    if (!has_port && text.find(" info workers started") != std::string::npos) return true;
    if (!running()) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  return !reap(std::chrono::milliseconds(0));
}

bool ServerProcess::reap(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return true;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) {
      exit_status_ = done == pid_ ? decode_wait_status(status) : -1;
      pid_ = -1;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string ServerProcess::log() const { return read_whole(log_path_); }

std::string ServerProcess::log_tail(std::size_t lines) const {
  const std::string text = log();
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0 && seen <= lines;) {
    --start;
    if (text[start] == '\n') ++seen;
  }
  return text.substr(start);
}

std::size_t ServerProcess::count_in_log(std::string_view needle) const {
  const std::string text = log();
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

bool ServerProcess::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout,
                                 std::size_t count) const {
  const auto deadline = Clock::now() + timeout;
  do {
    if (count_in_log(needle) >= count) return true;
    std::this_thread::sleep_for(kPollInterval);
  } while (Clock::now() < deadline);
  return false;
}

int ServerProcess::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_status_;
  ::kill(pid_, SIGTERM);
  if (reap(timeout)) return exit_status_;
  ADD_FAILURE() << "image-resize did not exit within " << timeout.count()
                << " ms of SIGTERM; log tail:\n"
                << log_tail();
  kill9();
  return -1;
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  reap(std::chrono::seconds(30));
}

}  // namespace image_resize::testing
