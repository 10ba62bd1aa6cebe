#pragma once
// WebhookOutbox on Redis, for the scaled-out mode: the `webhooks` sorted set (task id by due
// time) filled by RedisTaskStore's finish script, `webhooks:claims` to tell a claim's due time
// from a backoff's, and `webhooks:failing` for the dashboard; the delivery's state lives in the
// task's hash. Each method is one Lua script, so deliverers in many processes never claim one
// entry twice while the claim holds. Key layout: redis_keys.h.
// Thread safety: every method from any thread at once.

#include <memory>

#include "tasks/redis/redis_client.h"
#include "tasks/webhook_outbox.h"

namespace image_resize::tasks {

class RedisWebhookOutbox final : public WebhookOutbox {
 public:
  explicit RedisWebhookOutbox(std::shared_ptr<RedisClient> client);

  // At most 10,000 per call.
  core::Result<std::vector<core::TaskId>> claim_due(core::TimePoint now, std::size_t limit,
                                                    std::chrono::milliseconds claim) override;
  core::Status settle(const core::TaskId& id, const core::WebhookDelivery& delivery) override;
  // No effect when the entry is gone (settled by a deliverer whose claim ran out meanwhile).
  core::Status reschedule(const core::TaskId& id, const core::WebhookDelivery& delivery,
                          core::TimePoint next) override;
  // Releases every process's claims: for a deployment with one deliverer, as the port says.
  core::Status release_claims() override;
  // From the failing index (the latest kFailingWebhooksKept), skipping tasks removed since.
  core::Result<std::vector<core::TaskRecord>> failing(std::size_t limit) override;
  core::Result<std::size_t> backlog() override;

 private:
  // Runs `script` after kRecordDelivery with the delivery's arguments, then `extra`.
  core::Status record(std::string_view script, const core::TaskId& id,
                      const core::WebhookDelivery& delivery, std::vector<std::string> extra = {});

  // Constant after construction.
  const std::shared_ptr<RedisClient> client_;
};

}  // namespace image_resize::tasks
