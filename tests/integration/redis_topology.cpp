#include "integration/redis_topology.h"

#include <regex>
#include <sstream>

namespace image_resize::integration {

using testing::ServerOptions;

RedisTopology::RedisTopology(int worker_count, std::vector<std::string> worker_args,
                             const testing::S3Server* s3, std::filesystem::path binary)
    : worker_args_(std::move(worker_args)), s3_(s3), binary_(std::move(binary)) {
  if (!redis.started() || (s3_ != nullptr && !s3_->started())) return;
  api = std::make_unique<ServerProcess>(options_for("api", {}));
  for (int i = 0; i < worker_count; ++i) add_worker();
}

ServerOptions RedisTopology::options_for(const std::string& mode,
                                         const std::vector<std::string>& extra_args) {
  ServerOptions options{.binary = binary_,
                        .data_dir = dir.path() / "data",
                        .mode = mode,
                        .args = {"--redis", redis.url()}};
  if (s3_ != nullptr) {
    options.data_dir = dir.path() / ("process-" + std::to_string(processes_started_));
    const std::vector<std::string> flags = s3_->service_flags();
    options.args.insert(options.args.end(), flags.begin(), flags.end());
    options.env = s3_->service_env();
  }
  ++processes_started_;
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  return options;
}

ServerProcess* RedisTopology::add_worker() {
  workers.push_back(std::make_unique<ServerProcess>(options_for("worker", worker_args_)));
  return workers.back()->started() ? workers.back().get() : nullptr;
}

bool RedisTopology::started() const {
  if (api == nullptr || !api->started()) return false;
  for (const auto& worker : workers) {
    if (!worker->started()) return false;
  }
  return true;
}

std::size_t RedisTopology::succeeded() const {
  std::size_t count = 0;
  for (const auto& worker : workers) count += worker->count_in_log("task succeeded");
  return count;
}

void RedisTopology::expect_clean_exit() {
  EXPECT_EQ(api->terminate(), 0) << api->log_tail();
  for (auto& worker : workers) {
    if (worker->running()) {
      EXPECT_EQ(worker->terminate(), 0) << worker->log_tail();
    }
  }
}

std::set<std::string> task_ids_logged(const std::string& log, std::string_view message) {
  static const std::regex kTaskId("task_id=([0-9a-f-]{36})");
  std::set<std::string> ids;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(message) == std::string::npos) continue;
    std::smatch match;
    if (std::regex_search(line, match, kTaskId)) ids.insert(match[1].str());
  }
  return ids;
}

std::set<std::string> started_not_finished(const std::string& log) {
  std::set<std::string> held = task_ids_logged(log, "task started");
  for (const auto* ended : {"task succeeded", "task failed", "task given up"}) {
    for (const std::string& id : task_ids_logged(log, ended)) held.erase(id);
  }
  return held;
}

}  // namespace image_resize::integration
