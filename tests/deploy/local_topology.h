#pragma once
// The topology of docker-compose.yml as processes on loopback ports: one redis-server, two
// `image-resize api` and two `image-resize worker` processes sharing one data dir (the `blobs`
// volume), and nginx in front with the deploy/ proxy settings. Clients talk to nginx only.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "deploy/nginx_process.h"
#include "support/redis_server.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace image_resize::deploy_test {

class LocalTopology {
 public:
  static constexpr std::size_t kApis = 2;
  static constexpr std::size_t kWorkers = 2;

  // Starts everything; `args` go to every image-resize process (api and worker must agree on
  // limits). On failure the current test has a failure and started() is false.
  LocalTopology(const std::filesystem::path& nginx_binary, std::vector<std::string> args);
  LocalTopology(const LocalTopology&) = delete;
  LocalTopology& operator=(const LocalTopology&) = delete;
  // Members go in reverse: nginx, the apis, the workers, Redis.
  ~LocalTopology() = default;

  bool started() const { return started_; }
  // The one public port: nginx.
  std::uint16_t port() const { return nginx_ ? nginx_->port() : 0; }
  testing::ServerProcess& api(std::size_t index) { return *apis_.at(index); }
  testing::ServerProcess& worker(std::size_t index) { return *workers_.at(index); }
  NginxProcess& nginx() { return *nginx_; }
  // Every process' log tail, for failure messages.
  std::string log_tails();

 private:
  testing::TempDir shared_dir_{"image-resize-deploy-"};
  // Persistence as in docker-compose.yml: a 202 means the task is on disk.
  testing::RedisServer redis_{{.appendonly = true, .fsync_always = true}};
  std::array<std::unique_ptr<testing::ServerProcess>, kWorkers> workers_;
  std::array<std::unique_ptr<testing::ServerProcess>, kApis> apis_;
  std::unique_ptr<NginxProcess> nginx_;
  bool started_ = false;
};

}  // namespace image_resize::deploy_test
