#pragma once
// The scaled-out mode as a new user starts it, for the fault tests: a redis-server that logs
// every write to disk before answering (appendfsync always), one api and worker processes on a
// shared data dir, each started with nothing but --redis (every other flag at its default)
// plus the extra flags a test names. Given an S3 server, the images go to its bucket instead
// (--blob-store, --s3-endpoint and the AWS_* credentials) and each process has a data dir of
// its own: no file is shared. Members go in reverse order: the service processes die
// before their data dir and Redis.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "integration/api_helpers.h"
#include "integration/load_tools.h"
#include "support/redis_server.h"
#include "support/s3_server.h"
#include "support/temp_dir.h"

namespace image_resize::integration {

class RedisTopology {
 public:
  // `binary`: the program every process runs (the fault-injecting build for some tests).
  explicit RedisTopology(int worker_count, std::vector<std::string> worker_args = {},
                         const testing::S3Server* s3 = nullptr,
                         std::filesystem::path binary = IMAGE_RESIZE_BINARY);

  bool started() const;
  // Starts one more worker (a replacement); nullptr, and a test failure, if it does not start.
  ServerProcess* add_worker();
  // "task succeeded" lines over every worker.
  std::size_t succeeded() const;
  // SIGTERM to the api, then to every worker still running; each must exit 0.
  void expect_clean_exit();

  testing::RedisServer redis{testing::RedisServerOptions{.appendonly = true, .fsync_always = true}};
  testing::TempDir dir{"image-resize-it-"};
  std::unique_ptr<ServerProcess> api;
  std::vector<std::unique_ptr<ServerProcess>> workers;

 private:
  // How a process of `mode` is started: --redis, the S3 flags, its data dir, `extra_args`.
  testing::ServerOptions options_for(const std::string& mode,
                                     const std::vector<std::string>& extra_args);

  std::vector<std::string> worker_args_;
  const testing::S3Server* s3_ = nullptr;
  std::filesystem::path binary_;
  int processes_started_ = 0;
};

// Ids of the tasks a worker's log says it started and never finished ("task started" without
// "task succeeded" or "task failed" after it).
std::set<std::string> started_not_finished(const std::string& log);
// Ids in the log lines that contain `message` (and a task_id field).
std::set<std::string> task_ids_logged(const std::string& log, std::string_view message);

}  // namespace image_resize::integration
