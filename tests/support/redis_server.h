#pragma once
// A real redis-server as a child process of a test: on a free loopback port, with its data in a
// temp dir, never left running after the test (SIGKILLed in the destructor, and by the kernel
// if the test process dies). stop(), kill9() and restart() let tests take Redis away and bring
// it back on the same port and dir, so that an appendonly file survives.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::testing {

struct RedisServerOptions {
  // --appendonly yes: every write is logged to <dir>/appendonlydir and replayed at startup.
  bool appendonly = false;
  // --appendfsync always (with appendonly): a write is on disk before Redis answers it.
  bool fsync_always = false;
  // More arguments, e.g. {"--requirepass", "secret"}.
  std::vector<std::string> extra_args{};
  // How long start and restart wait for PING to be answered.
  std::chrono::milliseconds start_timeout{std::chrono::seconds(10)};
};

class RedisServer {
 public:
  // Starts redis-server (from PATH, else /usr/bin) and waits until it answers PING. On failure
  // the current test gets a failure with the log tail, and started() is false.
  explicit RedisServer(RedisServerOptions options = {});
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  ~RedisServer();

  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  // "redis://127.0.0.1:<port>/<database>"
  std::string url(int database = 0) const;
  const std::filesystem::path& dir() const { return data_dir_; }
  bool running();

  // SIGTERM, and waits for the exit (Redis writes its appendonly file first).
  void stop();
  // SIGKILL: a crash, as far as the data dir can tell.
  void kill9();
  // Starts it again on the same port and dir (after stop() or kill9(); stops it first if it
  // runs). Returns started().
  bool restart();

  // FLUSHALL: every database empty, as after a fresh start. Fails the test if Redis does not
  // answer +OK.
  void flush_all();

  std::string log_tail(std::size_t lines = 30) const;

 private:
  bool spawn();
  bool wait_until_ready();
  void reap_blocking();

  const RedisServerOptions options_;
  TempDir work_dir_{"image-resize-redis-"};
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  bool started_ = false;
};

}  // namespace image_resize::testing
