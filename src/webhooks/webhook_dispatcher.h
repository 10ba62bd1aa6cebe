#pragma once
// Delivers the webhooks of finished tasks: takes due deliveries from the WebhookOutbox, POSTs
// each task's status JSON to its callback_url through the outbound client, signed, and records
// the outcome: a 2xx is delivered, a 410 (the receiver is gone) fails at once, anything else is
// tried again with exponential backoff and jitter until retry_for has passed since the task
// ended. Runs in every process that runs workers; with several, the outbox's claims keep two
// from delivering the same webhook at once, and a claim that runs out (its deliverer died) is
// delivered by another: at least once.
// Thread safety: start() and stop() from one controlling thread; notify() from any.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "metrics/registry.h"
#include "outbound/outbound_client.h"
#include "tasks/task_store.h"
#include "tasks/webhook_outbox.h"
#include "webhooks/webhook_config.h"

namespace image_resize::webhooks {

class WebhookDispatcher {
 public:
  // The body to POST for a task: its status JSON, as GET /api/v1/status/<id> answers it.
  using RenderBody = std::function<std::string(const core::TaskRecord&)>;

  WebhookDispatcher(WebhookConfig config, std::string secret, tasks::TaskStore& tasks,
                    tasks::WebhookOutbox& outbox, outbound::OutboundClient& client,
                    metrics::Registry& metrics, RenderBody render);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  // Lets deliveries in flight finish (each within the timeout) and stops.
  void stop();
  // A task ended in this process: look for due deliveries now rather than at the next poll.
  void notify();

 private:
  void run();
  // Claims one due delivery and makes one attempt at it; false when none was due.
  bool deliver_one();
  void attempt(const core::TaskRecord& task);
  // Records an attempt that did not deliver: again later, or failed for good.
  void retry_or_fail(const core::TaskRecord& task, core::WebhookDelivery delivery, bool permanent);
  void settle(const core::TaskRecord& task, const core::WebhookDelivery& delivery);
  std::chrono::milliseconds backoff(int attempts) const;
  void count(std::string_view outcome, double seconds);

  const WebhookConfig config_;
  const std::string secret_;
  tasks::TaskStore& tasks_;
  tasks::WebhookOutbox& outbox_;
  outbound::OutboundClient& client_;
  metrics::Registry& metrics_;
  const RenderBody render_;

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  int nudges_ = 0;         // guarded by mutex_: notify() calls not yet looked at
};

}  // namespace image_resize::webhooks
