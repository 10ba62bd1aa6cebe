#pragma once
// The service under test, in either backend, behind one interface: `serve` (SQLite, one
// process), or two `api` and two `worker` processes sharing a redis-server that this test
// process starts (one worker process when the flags ask for `--workers 1`: tests that count on
// a single worker). port() takes turns between the API processes, so each new client talks to
// the other one and a task is often created on one API and read on the other.
// The backend comes from the IMAGE_RESIZE_TEST_BACKEND environment variable (`serve`, the
// default, `redis`, or `redis-s3`: the same four processes with their images in an S3 bucket
// and each a data dir of its own, as on machines that share no disk), so one integration suite
// runs against every backend: CTest registers it three times.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/server_process.h"

namespace image_resize::testing {

enum class Backend { sqlite, redis, redis_s3 };
Backend backend_under_test();
std::string_view to_string(Backend backend);

struct DeploymentOptions {
  std::filesystem::path binary;  // as ServerOptions::binary
  // Shared by every process; empty: a scratch dir owned by the deployment. Starting a new
  // deployment on a non-empty dir is a restart and keeps the backend's data; on an empty one,
  // the Redis backend starts from an empty database.
  std::filesystem::path data_dir;
  std::vector<std::string> args;  // given to every process
};

class Deployment {
 public:
  explicit Deployment(DeploymentOptions options);
  Deployment(const Deployment&) = delete;
  Deployment& operator=(const Deployment&) = delete;

  Backend backend() const { return backend_; }
  bool started() const;
  std::uint16_t port() const;  // an HTTP port (serve, or each api in turn)
  // The process that serves HTTP on `port` (from port()), for a look at its /proc; -1 if none.
  pid_t pid_of_port(std::uint16_t port) const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // Where the input and result blobs are kept as files named by their task ids: the data dir,
  // or the S3 server's objects.
  std::filesystem::path blob_dir() const;
  bool running();
  // Processes of the service: 1 for serve, 2 (api and worker) for Redis.
  std::size_t process_count() const { return processes_.size(); }
  // Those of them that serve HTTP (serve, or the api processes).
  std::size_t http_process_count() const { return http_processes_; }

  // All processes' logs, one after the other.
  std::string log() const;
  std::string log_tail(std::size_t lines = 40) const;
  std::size_t count_in_log(std::string_view needle) const;
  bool wait_for_log(std::string_view needle, std::chrono::milliseconds timeout) const;

  // SIGTERM to every process (HTTP side first); the first non-zero exit code, else 0.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(40));
  // SIGKILL every process of the service (the Redis server stays up).
  void kill9();
  // Sends `signal` to every process of the service (e.g. SIGHUP: reload).
  void signal_all(int signal);

 private:
  Backend backend_;
  std::unique_ptr<TempDir> owned_dir_;
  std::filesystem::path data_dir_;
  std::vector<std::unique_ptr<ServerProcess>> processes_;  // the HTTP ones first
  std::size_t http_processes_ = 1;
  mutable std::atomic<std::size_t> next_http_ = 0;
};

}  // namespace image_resize::testing
