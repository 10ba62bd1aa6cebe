#include "tasks/redis/redis_task_queue.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include "tasks/redis/redis_task_queue_scripts.h"

namespace image_resize::tasks {
namespace {

using std::chrono::milliseconds;

// The consumer group's last-delivered-id from an XINFO GROUPS reply (a list of field/value
// lists); nullopt without the group.
std::optional<std::string> last_delivered_id(const RedisReply& groups) {
  for (const RedisReply& group : groups.elements) {
    std::optional<std::string> name;
    std::optional<std::string> last;
    for (std::size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      const std::string& field = group.elements[i].text;
      if (field == "name") name = group.elements[i + 1].as_text();
      if (field == "last-delivered-id") last = group.elements[i + 1].as_text();
    }
    if (name == kConsumerGroup) return last;
  }
  return std::nullopt;
}

struct LeaseToken {
  std::string entry;
  std::string delivery;
  std::string consumer;
};

std::string encode_token(const std::string& entry, int delivery, const std::string& consumer) {
  return entry + "/" + std::to_string(delivery) + "/" + consumer;
}

std::optional<LeaseToken> decode_token(const std::string& token) {
  const std::size_t first = token.find('/');
  if (first == std::string::npos) return std::nullopt;
  const std::size_t second = token.find('/', first + 1);
  if (second == std::string::npos || first == 0 || second == first + 1) return std::nullopt;
  return LeaseToken{.entry = token.substr(0, first),
                    .delivery = token.substr(first + 1, second - first - 1),
                    .consumer = token.substr(second + 1)};
}

Reclaim reclaim_from_text(std::string_view text) {
  for (Reclaim reason : {Reclaim::lease_expired, Reclaim::worker_dead, Reclaim::handed_back}) {
    if (text == to_string(reason)) return reason;
  }
  return Reclaim::none;
}

core::Error unexpected_reply(std::string_view what) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "redis: unexpected reply to the " + std::string(what) + " script");
}

// A script's integer reply as a count.
core::Result<std::size_t> count_of(core::Result<RedisReply> reply, std::string_view what) {
  if (!reply.ok()) return reply.error();
  const auto count = reply->as_integer();
  if (!count || *count < 0) return unexpected_reply(what);
  return static_cast<std::size_t>(*count);
}

}  // namespace

RedisTaskQueue::RedisTaskQueue(std::shared_ptr<RedisClient> client) : client_(std::move(client)) {}

core::Result<RedisTaskQueue::Attempt> RedisTaskQueue::try_lease(const std::string& consumer) {
  const auto& config = client_->config();
  // An entry whose task id does not parse (no build of ours writes one) is acked and skipped.
  for (int skipped = 0; skipped < 10; ++skipped) {
    auto reply = client_->eval(
        queue_scripts::kLease,
        {std::string(kConsumerGroup), consumer, std::to_string(config.lease_duration.count())});
    if (!reply.ok()) return reply.error();
    const auto& parts = reply->elements;
    if (parts.size() == 4 && parts[0].text == "wait") {
      return Attempt{.lease = std::nullopt,
                     .newest_entries = {parts[1].text, parts[2].text, parts[3].text}};
    }
    if (parts.size() != 6 || parts[0].text != "lease") return unexpected_reply("lease");
    const auto priority_index = parts[1].as_integer().value_or(-1);
    const auto delivery = parts[4].as_integer().value_or(0);
    if (priority_index < 0 || priority_index > 2 || delivery < 1) return unexpected_reply("lease");
    Lease lease{.task_id = core::TaskId::generate(),
                .priority = static_cast<core::Priority>(priority_index),
                .delivery = static_cast<int>(delivery),
                .token = encode_token(parts[2].text, static_cast<int>(delivery), consumer),
                .reclaimed = reclaim_from_text(parts[5].text)};
    if (auto id = core::TaskId::parse(parts[3].text)) {
      lease.task_id = *id;
      return Attempt{.lease = std::move(lease), .newest_entries = {}};
    }
    if (auto dropped = ack(lease); !dropped.ok()) return dropped.error();
  }
  return Attempt{};
}

core::Result<std::optional<Lease>> RedisTaskQueue::lease(const std::string& consumer,
                                                         milliseconds wait) {
  const std::string& name = consumer.empty() ? std::string("anonymous") : consumer;
  const auto deadline = std::chrono::steady_clock::now() + std::max(wait, milliseconds(0));
  const RedisKeys& keys = client_->keys();
  while (true) {
    if (interrupted_.load()) return std::optional<Lease>();
    auto attempt = try_lease(name);
    if (!attempt.ok()) return attempt.error();
    if (attempt->lease) return std::move(attempt->lease);
    const auto remaining = deadline - std::chrono::steady_clock::now();
    if (remaining <= milliseconds(0)) return std::optional<Lease>();
    // BLOCK 0 would mean "forever": always at least 1 ms.
    const milliseconds block = std::clamp(std::chrono::ceil<milliseconds>(remaining),
                                          milliseconds(1), client_->config().block_round);
    const auto& newest = attempt->newest_entries;
    auto woken = client_->blocking_command(
        {"XREAD", "COUNT", "1", "BLOCK", std::to_string(block.count()), "STREAMS",
         keys.queue(core::Priority::high), keys.queue(core::Priority::normal),
         keys.queue(core::Priority::low), newest[0], newest[1], newest[2]},
        block);
    if (!woken.ok()) return woken.error();
  }
}

core::Result<bool> RedisTaskQueue::on_held_lease(std::string_view script, const Lease& lease,
                                                 std::vector<std::string> extra) {
  // Not a token of ours (e.g. from another backend): it cannot name a current lease here.
  const auto token = decode_token(lease.token);
  if (!token) return false;
  std::vector<std::string> arguments{std::string(kConsumerGroup),
                                     std::string(core::to_string(lease.priority)), token->entry,
                                     token->delivery, token->consumer};
  std::move(extra.begin(), extra.end(), std::back_inserter(arguments));
  auto reply = client_->eval(std::string(queue_scripts::kHeldLease) + std::string(script),
                             std::move(arguments));
  if (!reply.ok()) return reply.error();
  return reply->as_integer().value_or(0) == 1;
}

core::Status RedisTaskQueue::ack(const Lease& lease) {
  auto acked = on_held_lease(queue_scripts::kAck, lease);
  if (!acked.ok()) return acked.error();
  return {};
}

core::Result<bool> RedisTaskQueue::renew(const Lease& lease) {
  return on_held_lease(queue_scripts::kRenew, lease);
}

core::Status RedisTaskQueue::release(const Lease& lease, milliseconds delay) {
  auto freed = on_held_lease(queue_scripts::kFree, lease,
                             {"1", std::to_string(std::max(delay, milliseconds(0)).count()),
                              std::to_string(lease_duration().count())});
  if (!freed.ok()) return freed.error();
  return {};
}

core::Status RedisTaskQueue::retry(const Lease& lease, milliseconds delay) {
  auto freed = on_held_lease(queue_scripts::kFree, lease,
                             {"0", std::to_string(std::max(delay, milliseconds(0)).count()),
                              std::to_string(lease_duration().count())});
  if (!freed.ok()) return freed.error();
  return {};
}

core::Result<std::size_t> RedisTaskQueue::release_all(const std::string& consumer) {
  return count_of(
      client_->eval(queue_scripts::kReleaseAll, {std::string(kConsumerGroup), consumer}),
      "release-all");
}

core::Result<std::size_t> RedisTaskQueue::reclaim_from_silent_workers(milliseconds silence) {
  return count_of(client_->eval(queue_scripts::kReclaimFromSilent,
                                {std::string(kConsumerGroup), std::to_string(silence.count())}),
                  "reclaim");
}

void RedisTaskQueue::interrupt() { interrupted_.store(true); }

core::Result<OldestWaiting> RedisTaskQueue::oldest_waiting() {
  OldestWaiting oldest;
  for (core::Priority priority :
       {core::Priority::high, core::Priority::normal, core::Priority::low}) {
    const std::string key = client_->keys().queue(priority);
    auto exists = client_->command({"EXISTS", key});
    if (!exists.ok()) return exists.error();
    if (exists->as_integer().value_or(0) == 0) continue;  // nothing ever queued at this priority
    auto groups = client_->command({"XINFO", "GROUPS", key});
    if (!groups.ok()) return groups.error();
    // Without the consumer group no worker has read the stream yet: every entry waits.
    const std::string delivered = last_delivered_id(*groups).value_or("0-0");
    // The first entry after the group's last delivered one: never handed to a worker. Its id
    // is the time the upload added it (XADD *).
    auto next = client_->command({"XRANGE", key, "(" + delivered, "+", "COUNT", "1"});
    if (!next.ok()) return next.error();
    if (next->elements.empty() || next->elements[0].elements.empty()) continue;
    const std::string& id = next->elements[0].elements[0].text;
    std::int64_t added_ms = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.find('-'), added_ms);
    if (error != std::errc()) continue;
    oldest[static_cast<std::size_t>(priority)] = core::from_unix_ms(added_ms);
  }
  return oldest;
}

core::Result<QueueDepth> RedisTaskQueue::depth() {
  QueueDepth depth;
  for (core::Priority priority :
       {core::Priority::high, core::Priority::normal, core::Priority::low}) {
    auto length = client_->command({"XLEN", client_->keys().queue(priority)});
    if (!length.ok()) return length.error();
    depth.by_priority[static_cast<std::size_t>(priority)] =
        static_cast<std::uint64_t>(std::max<std::int64_t>(length->as_integer().value_or(0), 0));
  }
  return depth;
}

}  // namespace image_resize::tasks
