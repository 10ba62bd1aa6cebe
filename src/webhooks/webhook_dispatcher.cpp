#include "webhooks/webhook_dispatcher.h"

#include <algorithm>
#include <random>

#include "core/log.h"
#include "webhooks/webhook_signature.h"

namespace image_resize::webhooks {
namespace {

// Deliveries in flight at once per process: each mostly waits on a receiver.
constexpr int kDeliverers = 4;
// How often an idle deliverer looks for due deliveries (retries, and those of other processes'
// tasks whose claims ran out).
constexpr std::chrono::milliseconds kPollInterval{1'000};
// A claim outlasts an attempt by this much, so that only a deliverer that died loses its claim.
constexpr std::chrono::milliseconds kClaimMargin{5'000};

bool is_success(int status) { return status >= 200 && status <= 299; }
// 410 Gone: the receiver says the endpoint no longer exists.
constexpr int kGone = 410;

// Errors that another attempt cannot mend: the callback_url is no longer allowed, or is not a
// URL (checked at upload, so only after the guard's configuration changed).
bool is_permanent(core::ErrorCode code) {
  return code == core::ErrorCode::source_forbidden || code == core::ErrorCode::invalid_url;
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(WebhookConfig config, std::string secret,
                                     tasks::TaskStore& tasks, tasks::WebhookOutbox& outbox,
                                     outbound::OutboundClient& client, metrics::Registry& metrics,
                                     RenderBody render)
    : config_(std::move(config)),
      secret_(std::move(secret)),
      tasks_(tasks),
      outbox_(outbox),
      client_(client),
      metrics_(metrics),
      render_(std::move(render)) {
  metrics_.gauge("image_resize_webhook_backlog",
                 "Webhook deliveries waiting, being tried again, or in flight", [this] {
                   auto backlog = outbox_.backlog();
                   return std::vector<std::pair<metrics::Labels, double>>{
                       {{}, backlog.ok() ? static_cast<double>(*backlog) : 0.0}};
                 });
}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  for (int i = 0; i < kDeliverers; ++i) threads_.emplace_back([this] { run(); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void WebhookDispatcher::notify() {
  {
    std::lock_guard lock(mutex_);
    ++nudges_;
  }
  wake_.notify_one();
}

void WebhookDispatcher::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      if (nudges_ > 0) --nudges_;
    }
    if (deliver_one()) continue;  // there may be more
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, kPollInterval, [this] { return stopping_ || nudges_ > 0; });
  }
}

bool WebhookDispatcher::deliver_one() {
  auto claimed = outbox_.claim_due(core::now(), 1, config_.timeout + kClaimMargin);
  if (!claimed.ok()) {
    core::log::error("webhook outbox unavailable", {{"error", claimed.error().log_message()}});
    return false;
  }
  if (claimed->empty()) return false;
  const core::TaskId& id = claimed->front();
  auto task = tasks_.get(id);
  if (!task.ok()) {
    // The claim runs out and the delivery is tried again then.
    core::log::error("task store read failed",
                     {{"task_id", id.str()}, {"error", task.error().log_message()}});
    return false;
  }
  if (task.value() && !task.value()->callback_url.empty()) attempt(**task);
  return true;
}

void WebhookDispatcher::attempt(const core::TaskRecord& task) {
  const std::string body = render_(task);
  const auto sent_at = std::chrono::system_clock::now();
  const std::int64_t unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(sent_at.time_since_epoch()).count();
  const std::vector<std::string> headers{
      "Content-Type: application/json",
      "X-Image-Resize-Signature: " + webhook_signature(secret_, unix_seconds, body),
      // The same on every attempt: receivers drop the duplicates of at-least-once delivery by it.
      "X-Image-Resize-Delivery: " + task.id.str()};
  const auto started = std::chrono::steady_clock::now();
  auto answer = client_.post(task.callback_url, body, headers, config_.timeout);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;

  core::WebhookDelivery delivery = task.webhook.value_or(core::WebhookDelivery{});
  ++delivery.attempts;
  delivery.last_status = answer.ok() ? answer->status : 0;
  if (answer.ok() && is_success(answer->status)) {
    delivery.state = core::WebhookState::delivered;
    count("delivered", elapsed.count());
    core::log::info("webhook delivered", {{"task_id", task.id.str()},
                                          {"status", std::to_string(answer->status)},
                                          {"attempt", std::to_string(delivery.attempts)}});
    settle(task, delivery);
    return;
  }
  const std::string error =
      answer.ok() ? "HTTP " + std::to_string(answer->status) : answer.error().log_message();
  core::log::warn("webhook delivery failed", {{"task_id", task.id.str()},
                                              {"attempt", std::to_string(delivery.attempts)},
                                              {"error", error}});
  const bool permanent = answer.ok() ? answer->status == kGone : is_permanent(answer.error().code);
  count(permanent ? "failed" : "retry", elapsed.count());
  retry_or_fail(task, delivery, permanent);
}

void WebhookDispatcher::retry_or_fail(const core::TaskRecord& task, core::WebhookDelivery delivery,
                                      bool permanent) {
  const core::TimePoint next = core::now() + backoff(delivery.attempts);
  const core::TimePoint ended = task.finished_at.value_or(task.created_at);
  if (permanent || next > ended + config_.retry_for) {
    delivery.state = core::WebhookState::failed;
    core::log::error("webhook given up", {{"task_id", task.id.str()},
                                          {"attempts", std::to_string(delivery.attempts)},
                                          {"status", std::to_string(delivery.last_status)}});
    settle(task, delivery);
    return;
  }
  if (auto s = outbox_.reschedule(task.id, delivery, next); !s.ok()) {
    core::log::error("webhook outbox write failed",
                     {{"task_id", task.id.str()}, {"error", s.error().log_message()}});
  }
}

void WebhookDispatcher::settle(const core::TaskRecord& task,
                               const core::WebhookDelivery& delivery) {
  if (auto s = outbox_.settle(task.id, delivery); !s.ok()) {
    // The claim runs out and the delivery is made again: at least once.
    core::log::error("webhook outbox write failed",
                     {{"task_id", task.id.str()}, {"error", s.error().log_message()}});
  }
}

std::chrono::milliseconds WebhookDispatcher::backoff(int attempts) const {
  const int doublings = std::clamp(attempts - 1, 0, 30);
  const auto full =
      std::min(config_.first_backoff * (std::int64_t{1} << doublings), config_.max_backoff);
  thread_local std::minstd_rand jitter(std::random_device{}());
  std::uniform_int_distribution<std::int64_t> half(0, full.count() / 2);
  return full - std::chrono::milliseconds(half(jitter));
}

void WebhookDispatcher::count(std::string_view outcome, double seconds) {
  metrics_
      .counter("image_resize_webhook_deliveries_total",
               "Webhook delivery attempts, by outcome: delivered, retry (failed, to be tried "
               "again) or failed (given up)",
               {{"outcome", std::string(outcome)}})
      .inc();
  metrics_
      .histogram("image_resize_webhook_delivery_seconds",
                 "Time of one webhook delivery attempt, whatever the outcome")
      .observe(seconds);
}

}  // namespace image_resize::webhooks
