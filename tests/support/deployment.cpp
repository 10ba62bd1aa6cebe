#include "support/deployment.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <thread>

#include "support/redis_server.h"
#include "support/s3_server.h"

namespace image_resize::testing {
namespace {

// One redis-server per test process, started on first use and stopped at exit.
RedisServer& shared_redis() {
  static RedisServer server;
  return server;
}

// One S3 server per test process, started on first use and stopped at exit.
S3Server& shared_s3() {
  static S3Server server;
  return server;
}

bool is_empty_dir(const std::filesystem::path& dir) {
  std::error_code error;
  return !std::filesystem::exists(dir, error) || std::filesystem::is_empty(dir, error);
}

// `--workers 1` asks for a single worker in all: one worker process.
bool wants_one_worker(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--workers" && args[i + 1] == "1") return true;
  }
  return false;
}

}  // namespace

Backend backend_under_test() {
  const char* name = std::getenv("IMAGE_RESIZE_TEST_BACKEND");
  const std::string_view backend = name == nullptr ? "" : name;
  if (backend == "redis") return Backend::redis;
  if (backend == "redis-s3") return Backend::redis_s3;
  return Backend::sqlite;
}

std::string_view to_string(Backend backend) {
  switch (backend) {
    case Backend::redis: return "redis";
    case Backend::redis_s3: return "redis-s3";
    case Backend::sqlite: break;
  }
  return "serve";
}

Deployment::Deployment(DeploymentOptions options) : backend_(backend_under_test()) {
  if (options.data_dir.empty()) {
    owned_dir_ = std::make_unique<TempDir>("image-resize-it-");
    options.data_dir = owned_dir_->path() / "data";
  }
  data_dir_ = options.data_dir;
  if (backend_ == Backend::sqlite) {
    processes_.push_back(std::make_unique<ServerProcess>(ServerOptions{
        .binary = options.binary, .data_dir = data_dir_, .mode = "serve", .args = options.args}));
    return;
  }
  RedisServer& redis = shared_redis();
  if (is_empty_dir(data_dir_)) redis.flush_all();  // a fresh deployment, not a restart
  std::vector<std::string> args = options.args;
  args.insert(args.end(), {"--redis", redis.url()});
  std::vector<std::pair<std::string, std::string>> env;
  if (backend_ == Backend::redis_s3) {
    const S3Server& s3 = shared_s3();
    const std::vector<std::string> flags = s3.service_flags();
    args.insert(args.end(), flags.begin(), flags.end());
    env = s3.service_env();
  }
  const bool one_worker = wants_one_worker(options.args);
  http_processes_ = 2;
  for (const char* mode : {"api", "api", "worker", "worker"}) {
    if (one_worker && std::string_view(mode) == "worker" && processes_.size() == 3) break;
    // With S3 no file is shared: each process gets a data dir of its own.
    // (Made here: an api on S3 writes nothing to it, and a non-empty data dir marks a restart.)
    std::filesystem::path dir = data_dir_;
    if (backend_ == Backend::redis_s3) {
      dir /= "process-" + std::to_string(processes_.size());
      std::filesystem::create_directories(dir);
    }
    processes_.push_back(std::make_unique<ServerProcess>(ServerOptions{
        .binary = options.binary, .data_dir = dir, .mode = mode, .args = args, .env = env}));
  }
}

std::filesystem::path Deployment::blob_dir() const {
  return backend_ == Backend::redis_s3 ? shared_s3().objects_dir() : data_dir_;
}

bool Deployment::started() const {
  for (const auto& process : processes_) {
    if (!process->started()) return false;
  }
  return !processes_.empty();
}

std::uint16_t Deployment::port() const {
  return processes_[next_http_.fetch_add(1) % http_processes_]->port();
}

pid_t Deployment::pid_of_port(std::uint16_t port) const {
  for (std::size_t i = 0; i < http_processes_; ++i) {
    if (processes_[i]->port() == port) return processes_[i]->pid();
  }
  return -1;
}

bool Deployment::running() {
  for (auto& process : processes_) {
    if (!process->running()) return false;
  }
  return true;
}

std::string Deployment::log() const {
  std::string all;
  for (const auto& process : processes_) all += process->log();
  return all;
}

std::string Deployment::log_tail(std::size_t lines) const {
  std::string all;
  for (const auto& process : processes_) all += process->log_tail(lines);
  return all;
}

std::size_t Deployment::count_in_log(std::string_view needle) const {
  std::size_t count = 0;
  for (const auto& process : processes_) count += process->count_in_log(needle);
  return count;
}

bool Deployment::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count_in_log(needle) > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return count_in_log(needle) > 0;
}

int Deployment::terminate(std::chrono::milliseconds timeout) {
  int first_failure = 0;
  for (auto& process : processes_) {
    const int code = process->terminate(timeout);
    if (code != 0 && first_failure == 0) first_failure = code;
  }
  return first_failure;
}

void Deployment::signal_all(int signal) {
  for (auto& process : processes_) ::kill(process->pid(), signal);
}

void Deployment::kill9() {
  for (auto& process : processes_) process->kill9();
}

}  // namespace image_resize::testing
