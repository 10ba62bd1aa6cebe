#include "deploy/local_topology.h"

#include <sstream>

namespace image_resize::deploy_test {

namespace {

std::unique_ptr<testing::ServerProcess> start(const char* mode,
                                              const std::filesystem::path& data_dir,
                                              std::vector<std::string> args) {
  return std::make_unique<testing::ServerProcess>(testing::ServerOptions{
      .binary = IMAGE_RESIZE_BINARY, .data_dir = data_dir, .mode = mode, .args = std::move(args)});
}

}  // namespace

LocalTopology::LocalTopology(const std::filesystem::path& nginx_binary,
                             std::vector<std::string> args) {
  if (!redis_.started()) return;
  args.insert(args.end(), {"--redis", redis_.url()});
  const auto data_dir = shared_dir_.path() / "data";
  for (auto& worker : workers_) {
    worker = start("worker", data_dir, args);
    if (!worker->started()) return;
  }
  for (auto& api : apis_) {
    api = start("api", data_dir, args);
    if (!api->started()) return;
  }
  nginx_ = std::make_unique<NginxProcess>(nginx_binary, apis_[0]->port(), apis_[1]->port());
  started_ = nginx_->started();
}

std::string LocalTopology::log_tails() {
  std::ostringstream out;
  for (std::size_t i = 0; i < kApis; ++i) {
    if (apis_[i]) out << "--- api " << i << ":\n" << apis_[i]->log_tail(20);
  }
  for (std::size_t i = 0; i < kWorkers; ++i) {
    if (workers_[i]) out << "--- worker " << i << ":\n" << workers_[i]->log_tail(20);
  }
  out << "--- redis:\n" << redis_.log_tail(10);
  if (nginx_) out << "--- nginx error log:\n" << nginx_->error_log();
  return out.str();
}

}  // namespace image_resize::deploy_test
