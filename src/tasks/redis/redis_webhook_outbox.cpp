#include "tasks/redis/redis_webhook_outbox.h"

#include <algorithm>
#include <string>

#include "core/clock.h"
#include "tasks/redis/redis_task_fields.h"
#include "tasks/redis/redis_webhook_outbox_scripts.h"

namespace image_resize::tasks {
namespace {

std::string ms(core::TimePoint at) { return std::to_string(core::to_unix_ms(at)); }

bool is_failing(const core::TaskRecord& task) {
  if (!task.webhook) return false;
  const core::WebhookDelivery& webhook = *task.webhook;
  return webhook.state == core::WebhookState::failed ||
         (webhook.state == core::WebhookState::pending && webhook.attempts > 0);
}

}  // namespace

RedisWebhookOutbox::RedisWebhookOutbox(std::shared_ptr<RedisClient> client)
    : client_(std::move(client)) {}

core::Result<std::vector<core::TaskId>> RedisWebhookOutbox::claim_due(
    core::TimePoint now, std::size_t limit, std::chrono::milliseconds claim) {
  std::vector<core::TaskId> claimed;
  if (limit == 0) return claimed;
  // Bounds how long one script blocks Redis.
  constexpr std::size_t kMaxPerCall = 10'000;
  auto reply =
      client_->eval(webhook_scripts::kClaimDue,
                    {ms(now), std::to_string(std::min(limit, kMaxPerCall)), ms(now + claim)});
  if (!reply.ok()) return reply.error();
  for (const RedisReply& element : reply->elements) {
    if (auto id = core::TaskId::parse(element.text)) claimed.push_back(*id);
  }
  return claimed;
}

core::Status RedisWebhookOutbox::record(std::string_view script, const core::TaskId& id,
                                        const core::WebhookDelivery& delivery,
                                        std::vector<std::string> extra) {
  std::vector<std::string> args = {
      id.str(), std::string(core::to_string(delivery.state)), std::to_string(delivery.attempts),
      std::to_string(delivery.last_status), std::to_string(kFailingWebhooksKept)};
  args.insert(args.end(), std::make_move_iterator(extra.begin()),
              std::make_move_iterator(extra.end()));
  auto reply =
      client_->eval(std::string(webhook_scripts::kRecordDelivery) + std::string(script), args);
  if (!reply.ok()) return reply.error();
  return {};
}

core::Status RedisWebhookOutbox::settle(const core::TaskId& id,
                                        const core::WebhookDelivery& delivery) {
  return record(webhook_scripts::kSettle, id, delivery);
}

core::Status RedisWebhookOutbox::reschedule(const core::TaskId& id,
                                            const core::WebhookDelivery& delivery,
                                            core::TimePoint next) {
  return record(webhook_scripts::kReschedule, id, delivery, {ms(next)});
}

core::Status RedisWebhookOutbox::release_claims() {
  auto reply = client_->eval(webhook_scripts::kReleaseClaims, {ms(core::now())});
  if (!reply.ok()) return reply.error();
  return {};
}

core::Result<std::vector<core::TaskRecord>> RedisWebhookOutbox::failing(std::size_t limit) {
  if (limit == 0) return std::vector<core::TaskRecord>();
  auto hashes = client_->eval(webhook_scripts::kFailing,
                              {std::to_string(std::min<std::size_t>(limit, kFailingWebhooksKept))});
  if (!hashes.ok()) return hashes.error();
  // Finished again since (its webhook pending anew): no longer failing.
  return tasks_from_hashes(*hashes, is_failing);
}

core::Result<std::size_t> RedisWebhookOutbox::backlog() {
  auto count = client_->command({"ZCARD", client_->keys().webhooks()});
  if (!count.ok()) return count.error();
  return static_cast<std::size_t>(std::max<std::int64_t>(count->as_integer().value_or(0), 0));
}

}  // namespace image_resize::tasks
