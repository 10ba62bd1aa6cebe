#include "tasks/redis/redis_task_store.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/clock.h"
#include "core/sha256.h"
#include "tasks/batch_json.h"
#include "tasks/redis/redis_task_fields.h"
#include "tasks/redis/redis_task_store_scripts.h"

namespace image_resize::tasks {
namespace {

std::string ms(core::TimePoint at) { return std::to_string(core::to_unix_ms(at)); }

core::Status ignore_reply(const core::Result<RedisReply>& reply) {
  if (!reply.ok()) return reply.error();
  return {};
}

// The batches of an array reply of their JSON bodies.
core::Result<std::vector<core::BatchRecord>> batches_of(const RedisReply& reply) {
  std::vector<core::BatchRecord> batches;
  for (const RedisReply& body : reply.elements) {
    auto batch = batch_from_json(body.text);
    if (!batch.ok()) return batch.error();
    batches.push_back(std::move(batch).value());
  }
  return batches;
}

// The reply of kCreate and kCreateBatch: kResultGone is ErrorCode::result_gone.
core::Status created(const core::Result<RedisReply>& reply) {
  if (!reply.ok()) return reply.error();
  if (reply->kind == RedisReply::Kind::status && reply->text == store_scripts::kResultGone) {
    return core::Error::make(core::ErrorCode::result_gone, "Internal error",
                             "redis: a result to reuse is no longer reusable");
  }
  return {};
}

// kRemoveExpired's reply: id, result to remove ('' for none), ...; ids that do not parse (no
// build of ours writes them) are skipped.
std::vector<ExpiredTask> expired_of(const RedisReply& reply) {
  std::vector<ExpiredTask> expired;
  expired.reserve(reply.elements.size() / 2);
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    auto id = core::TaskId::parse(reply.elements[i].text);
    if (!id) continue;
    expired.push_back({*id, core::TaskId::parse(reply.elements[i + 1].text)});
  }
  return expired;
}

std::string result_of(const core::TaskRecord& task) {
  return task.result_id ? task.result_id->str() : std::string();
}

// The answer's id in Redis: a digest, so that any key (and owner) makes a valid, short key name.
std::string answer_id(std::string_view owner, std::string_view key) {
  std::string both(owner);
  both.push_back('\n');  // no owner (an API key's name) contains one
  both.append(key);
  return core::sha256_hex(both);
}

// The arguments of kClaimAnswer: the answer, or empty ones for none.
void append_answer(std::vector<std::string>& args, const core::IdempotentAnswer* answer) {
  if (!answer) {
    args.insert(args.end(), 7, std::string());
    return;
  }
  args.insert(args.end(),
              {answer_id(answer->owner, answer->key), answer->owner, answer->key,
               answer->fingerprint, answer->location, answer->body, ms(answer->expires_at)});
}

// An answer's HMGET (owner, key, fingerprint, location, body, expires_at); nullopt when nil.
std::optional<core::IdempotentAnswer> answer_of(const RedisReply& reply) {
  if (reply.elements.size() != 6 || reply.elements[0].is_nil()) return std::nullopt;
  const auto text = [&](std::size_t i) { return reply.elements[i].text; };
  std::int64_t expires_ms = 0;
  std::from_chars(text(5).data(), text(5).data() + text(5).size(), expires_ms);
  return core::IdempotentAnswer{.owner = text(0),
                                .key = text(1),
                                .fingerprint = text(2),
                                .location = text(3),
                                .body = text(4),
                                .expires_at = core::from_unix_ms(expires_ms)};
}

}  // namespace

RedisTaskStore::RedisTaskStore(std::shared_ptr<RedisClient> client) : client_(std::move(client)) {}

core::TimePoint RedisTaskStore::ttl_deadline(core::TimePoint expires_at) const {
  return std::max(expires_at, core::now()) + client_->config().hash_ttl_grace;
}

core::Status RedisTaskStore::create(const core::TaskRecord& task) {
  auto created = create_all(nullptr, {task}, nullptr);
  if (!created.ok()) return created.error();
  return {};
}

core::Status RedisTaskStore::create_batch(const core::BatchRecord& batch,
                                          const std::vector<core::TaskRecord>& tasks) {
  auto created = create_all(&batch, tasks, nullptr);
  if (!created.ok()) return created.error();
  return {};
}

core::Result<std::optional<core::IdempotentAnswer>> RedisTaskStore::create_answered(
    const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
    const std::vector<core::TaskRecord>& tasks) {
  return create_all(batch ? &*batch : nullptr, tasks, &answer);
}

core::Result<std::optional<core::IdempotentAnswer>> RedisTaskStore::create_all(
    const core::BatchRecord* batch, const std::vector<core::TaskRecord>& tasks,
    const core::IdempotentAnswer* answer) {
  std::vector<std::string> args;
  std::string script(store_scripts::kResultUsers);
  script.append(store_scripts::kCreateTask);
  script.append(store_scripts::kClaimAnswer);
  if (batch) {
    args = {batch->id.str(), ms(batch->expires_at), ms(ttl_deadline(batch->expires_at)),
            batch_to_json(*batch)};
    append_answer(args, answer);
    args.push_back(std::to_string(tasks.size()));
    for (const core::TaskRecord& task : tasks) {
      std::vector<std::string> fields = task_fields(task);
      args.push_back(task.id.str());
      args.emplace_back(core::to_string(task.spec.priority));
      args.push_back(task.input_id ? task.input_id->str() : std::string());
      args.push_back(result_of(task));
      args.push_back(std::to_string(fields.size()));
      args.insert(args.end(), std::make_move_iterator(fields.begin()),
                  std::make_move_iterator(fields.end()));
    }
    script.append(store_scripts::kCreateBatch);
  } else {
    const core::TaskRecord& task = tasks.at(0);
    args = {task.id.str(), std::string(core::to_string(task.spec.priority)), ms(task.expires_at),
            ms(ttl_deadline(task.expires_at)), result_of(task)};
    append_answer(args, answer);
    std::vector<std::string> fields = task_fields(task);
    args.insert(args.end(), std::make_move_iterator(fields.begin()),
                std::make_move_iterator(fields.end()));
    script.append(store_scripts::kCreate);
  }
  auto reply = client_->eval(script, args);
  if (auto status = created(reply); !status.ok()) return status.error();
  if (!reply->is_array()) return std::optional<core::IdempotentAnswer>();
  return answer_of(*reply);
}

core::Result<std::optional<core::IdempotentAnswer>> RedisTaskStore::find_answer(
    std::string_view owner, std::string_view key, core::TimePoint) {
  // Redis drops the hash at its expires_at.
  auto reply = client_->command({"HMGET", client_->keys().answer(answer_id(owner, key)), "owner",
                                 "key", "fingerprint", "location", "body", "expires_at"});
  if (!reply.ok()) return reply.error();
  return answer_of(*reply);
}

core::Result<std::size_t> RedisTaskStore::remove_expired_answers(core::TimePoint, std::size_t) {
  return std::size_t{0};  // each answer's hash expires on its own
}

core::Result<std::optional<core::BatchRecord>> RedisTaskStore::get_batch(const core::TaskId& id) {
  auto reply = client_->command({"GET", client_->keys().batch(id)});
  if (!reply.ok()) return reply.error();
  if (reply->is_nil()) return std::optional<core::BatchRecord>();
  auto batch = batch_from_json(reply->text);
  if (!batch.ok()) return batch.error();
  return std::optional<core::BatchRecord>(std::move(batch).value());
}

core::Result<bool> RedisTaskStore::remove_batch(const core::BatchRecord& batch) {
  std::vector<std::string> args = {batch.id.str()};
  for (const core::BatchFile& file : batch.files) args.push_back(file.input_id.str());
  auto reply = client_->eval(store_scripts::kRemoveBatch, args);
  if (!reply.ok()) return reply.error();
  return reply->as_integer().value_or(0) > 0;
}

core::Result<std::vector<core::BatchRecord>> RedisTaskStore::remove_expired_batches(
    core::TimePoint now, std::size_t limit) {
  if (limit == 0) return std::vector<core::BatchRecord>();
  constexpr std::size_t kMaxPerCall = 1'000;
  auto reply = client_->eval(store_scripts::kRemoveExpiredBatches,
                             {ms(now), std::to_string(std::min(limit, kMaxPerCall))});
  if (!reply.ok()) return reply.error();
  return batches_of(*reply);
}

core::Result<std::vector<core::BatchRecord>> RedisTaskStore::recent_batches(std::size_t limit) {
  if (limit == 0) return std::vector<core::BatchRecord>();
  constexpr std::size_t kMaxPerCall = 1'000;
  // One round trip: the script reads the newest ids and each batch they name.
  auto reply =
      client_->eval(store_scripts::kRecentBatches, {std::to_string(std::min(limit, kMaxPerCall))});
  if (!reply.ok()) return reply.error();
  return batches_of(*reply);
}

core::Result<bool> RedisTaskStore::release_input(const core::TaskId& input,
                                                 const core::TaskId& task) {
  auto reply = client_->eval(store_scripts::kReleaseInput, {input.str(), task.str()});
  if (!reply.ok()) return reply.error();
  return reply->as_integer().value_or(0) == 1;
}

core::Result<std::optional<ReusableResult>> RedisTaskStore::find_result(
    const std::string& content_key) {
  auto reply = client_->command({"HGETALL", client_->keys().reuse(content_key)});
  if (!reply.ok()) return reply.error();
  return reusable_from_hash(*reply);
}

core::Result<bool> RedisTaskStore::release_result(const core::TaskId& result,
                                                  const core::TaskId& task) {
  auto reply = client_->eval(
      std::string(store_scripts::kResultUsers) + std::string(store_scripts::kReleaseResult),
      {result.str(), task.str()});
  if (!reply.ok()) return reply.error();
  return reply->as_integer().value_or(0) == 1;
}

core::Result<std::optional<core::TaskRecord>> RedisTaskStore::get(const core::TaskId& id) {
  auto reply = client_->command({"HGETALL", client_->keys().task(id)});
  if (!reply.ok()) return reply.error();
  if (reply->elements.empty()) return std::optional<core::TaskRecord>();
  auto task = task_from_hash(*reply);
  if (!task.ok()) return task.error();
  return std::optional<core::TaskRecord>(std::move(task).value());
}

core::Status RedisTaskStore::mark_started(const core::TaskId& id, int attempt, core::TimePoint at) {
  return ignore_reply(
      client_->eval(store_scripts::kMarkStarted, {id.str(), ms(at), std::to_string(attempt)}));
}

core::Status RedisTaskStore::mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                                            core::TimePoint at) {
  std::vector<std::string> fields = {"state", "SUCCESS", "finished_at", ms(at)};
  for (std::string& field : output_fields(output)) fields.push_back(std::move(field));
  return finish(id, at, kFailureFields, std::move(fields), false);
}

core::Status RedisTaskStore::mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                                         core::TimePoint at) {
  std::vector<std::string> fields = {"state", "FAILURE", "finished_at", ms(at)};
  for (std::string& field : failure_fields(failure)) fields.push_back(std::move(field));
  return finish(id, at, kOutputFields, std::move(fields), true);
}

core::Status RedisTaskStore::finish(const core::TaskId& id, core::TimePoint at,
                                    std::span<const std::string_view> deleted,
                                    std::vector<std::string> fields, bool failed) {
  std::vector<std::string> args = {id.str(), ms(at),
                                   failed ? std::to_string(kRecentFailuresKept) : "0",
                                   std::to_string(deleted.size())};
  args.insert(args.end(), deleted.begin(), deleted.end());
  args.insert(args.end(), std::make_move_iterator(fields.begin()),
              std::make_move_iterator(fields.end()));
  return ignore_reply(client_->eval(
      std::string(store_scripts::kResultUsers) + std::string(store_scripts::kFinish), args));
}

core::Result<bool> RedisTaskStore::remove(const core::TaskId& id) {
  auto reply = client_->eval(
      std::string(store_scripts::kRemoveTask) + std::string(store_scripts::kRemove), {id.str()});
  if (!reply.ok()) return reply.error();
  return reply->as_integer().value_or(0) > 0;
}

core::Result<std::vector<ExpiredTask>> RedisTaskStore::remove_expired(core::TimePoint now,
                                                                      std::size_t limit) {
  if (limit == 0) return std::vector<ExpiredTask>();
  // Bounds how long one script blocks Redis; the sweeper calls again for the rest.
  constexpr std::size_t kMaxPerCall = 10'000;
  auto reply = client_->eval(std::string(store_scripts::kResultUsers) +
                                 std::string(store_scripts::kRemoveTask) +
                                 std::string(store_scripts::kRemoveExpired),
                             {ms(now), std::to_string(std::min(limit, kMaxPerCall))});
  if (!reply.ok()) return reply.error();
  return expired_of(*reply);
}

core::Result<std::vector<core::TaskRecord>> RedisTaskStore::recent_failures(std::size_t limit) {
  if (limit == 0) return std::vector<core::TaskRecord>();
  // One round trip: the script reads the list and every task hash it names.
  auto hashes = client_->eval(store_scripts::kRecentFailures,
                              {std::to_string(std::min<std::size_t>(limit, kRecentFailuresKept))});
  if (!hashes.ok()) return hashes.error();
  // Run again to SUCCESS since: no longer a failure to show.
  return tasks_from_hashes(
      *hashes, [](const core::TaskRecord& task) { return task.state == core::TaskState::failure; });
}

core::Status RedisTaskStore::ping() { return ignore_reply(client_->command({"PING"})); }

}  // namespace image_resize::tasks
