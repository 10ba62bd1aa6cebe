#include "tasks/redis/redis_worker_controls.h"

#include <nlohmann/json.hpp>
#include <string_view>

namespace image_resize::tasks {
namespace {

// ARGV: 2 target, 3 concurrency ('' when not set), 4 paused ('1', '0' or ''). Returns the
// command's number.
constexpr std::string_view kIssue = R"lua(
local sequence = redis.call('INCR', worker_controls_seq_key)
local stored = redis.call('HGET', worker_controls_key, ARGV[2])
local controls = stored and cjson.decode(stored) or {}
if ARGV[3] ~= '' then
  controls.concurrency = tonumber(ARGV[3])
  controls.concurrency_seq = sequence
end
if ARGV[4] ~= '' then
  controls.paused = ARGV[4] == '1'
  controls.paused_seq = sequence
end
redis.call('HSET', worker_controls_key, ARGV[2], cjson.encode(controls))
return sequence
)lua";

core::Error unreadable(const std::string& why) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "worker controls: unreadable entry: " + why);
}

// The JSON kIssue stores, or all empty for a nil reply (no command named the target).
core::Result<TargetControls> parse_controls(const RedisReply& reply) {
  TargetControls controls;
  const auto text = reply.as_text();
  if (!text) return controls;
  try {
    const auto json = nlohmann::json::parse(*text);
    if (json.contains("concurrency")) controls.concurrency = json.at("concurrency").get<int>();
    controls.concurrency_sequence = json.value("concurrency_seq", std::int64_t{0});
    if (json.contains("paused")) controls.paused = json.at("paused").get<bool>();
    controls.paused_sequence = json.value("paused_seq", std::int64_t{0});
    return controls;
  } catch (const nlohmann::json::exception& e) {
    return unreadable(e.what());
  }
}

}  // namespace

RedisWorkerControls::RedisWorkerControls(std::shared_ptr<RedisClient> client)
    : client_(std::move(client)) {}

core::Result<std::int64_t> RedisWorkerControls::issue(const std::string& target,
                                                      const WorkerCommand& command) {
  const std::string concurrency = command.concurrency ? std::to_string(*command.concurrency) : "";
  const std::string paused = command.paused ? (*command.paused ? "1" : "0") : "";
  auto reply = client_->eval(kIssue, {target, concurrency, paused});
  if (!reply.ok()) return reply.error();
  auto sequence = reply->as_integer();
  if (!sequence) return unreadable("the script returned no number");
  return *sequence;
}

core::Result<std::int64_t> RedisWorkerControls::latest() {
  auto reply = client_->command({"GET", client_->keys().worker_controls_sequence()});
  if (!reply.ok()) return reply.error();
  if (reply->is_nil()) return std::int64_t{0};
  auto sequence = reply->as_integer();
  if (!sequence) return unreadable("the sequence is not a number");
  return *sequence;
}

core::Result<WorkerCommand> RedisWorkerControls::settings(const std::string& name,
                                                          std::int64_t issued_after) {
  auto reply = client_->command(
      {"HMGET", client_->keys().worker_controls(), name, std::string(kEveryWorker)});
  if (!reply.ok()) return reply.error();
  if (!reply->is_array() || reply->elements.size() != 2) return unreadable("HMGET reply");
  auto own = parse_controls(reply->elements[0]);
  if (!own.ok()) return own.error();
  auto every = parse_controls(reply->elements[1]);
  if (!every.ok()) return every.error();
  return settings_for(*own, *every, issued_after);
}

}  // namespace image_resize::tasks
