#pragma once
// The real `image-resize serve` binary as a child process of a test: started on a free loopback
// port with its own data dir, its stderr captured to a file, and never left running after the
// test (killed in the destructor, and by the kernel if the test process itself dies).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::testing {

struct ServerOptions {
  // The image-resize binary. Test targets get its path as the IMAGE_RESIZE_BINARY compile
  // definition (this library is built without it); empty: the IMAGE_RESIZE_BINARY env variable.
  std::filesystem::path binary;
  // DATA_DIR for the server; empty: a scratch dir owned (and removed) by the ServerProcess.
  // Give one that outlives the process to restart a server on the same data.
  std::filesystem::path data_dir;
  // serve, api or worker. serve and api listen on a free loopback port; a worker has none.
  std::string mode = "serve";
  // Extra flags after `MODE [--host 127.0.0.1 --port 0] --data-dir DIR`, e.g. {"--workers", "1"}.
  std::vector<std::string> args;
  // Environment variables set in the child only, on top of this process's (which it inherits),
  // e.g. {{"AWS_SECRET_ACCESS_KEY", "wrong"}} for one process of several.
  std::vector<std::pair<std::string, std::string>> env{};
  // How long to wait for the "listening" log line before failing the test.
  std::chrono::milliseconds start_timeout{std::chrono::seconds(10)};
};

class ServerProcess {
 public:
  // Starts the server and waits until it listens. On failure the current test gets a failure
  // with the log tail, and started() is false.
  explicit ServerProcess(ServerOptions options = {});
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // SIGKILLs the child if it still runs and reaps it.
  ~ServerProcess();

  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // True while the child has not exited (reaps it if it has).
  bool running();

  // Everything the child wrote to stderr and stdout so far.
  std::string log() const;
  // The last `lines` lines of log(), for failure messages.
  std::string log_tail(std::size_t lines = 40) const;
  // Occurrences of `needle` in log().
  std::size_t count_in_log(std::string_view needle) const;
  // Polls the log until `needle` appears (`count` times); false on timeout.
  bool wait_for_log(std::string_view needle, std::chrono::milliseconds timeout,
                    std::size_t count = 1) const;

  // SIGTERM, then waits for the exit. Returns the exit code, 128 + signal when a signal ended
  // it, or -1 (and a test failure) when it did not exit within `timeout` (it is SIGKILLed then).
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(40));
  // SIGKILL and reap: a crash, as far as the data dir can tell.
  void kill9();

 private:
  void spawn(const std::vector<std::string>& argv, const ServerOptions& options);
  // Waits for the log line that says the process is up ("listening", or for a worker "workers
  // started"), and takes the port from it.
  bool wait_until_ready(std::chrono::milliseconds timeout, bool has_port);
  // Waits up to `timeout` for the child to exit; true when it has (exit_status_ set).
  bool reap(std::chrono::milliseconds timeout);

  TempDir work_dir_{"image-resize-it-"};  // holds server.log, and the data dir when none was given
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  bool started_ = false;
  int exit_status_ = -1;  // as terminate() reports it, once reaped
};

}  // namespace image_resize::testing
