#include "tasks/redis/redis_task_events.h"

#include "core/log.h"

namespace image_resize::tasks {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kPollInterval{100};  // how often the subscriber looks at stop()
constexpr milliseconds kMinBackoff{100};
constexpr milliseconds kMaxBackoff{2'000};

// A pub/sub push: ["subscribe", channel, count] or ["message", channel, payload].
bool is_push(const RedisReply& reply, std::string_view kind) {
  return reply.is_array() && reply.elements.size() == 3 && reply.elements[0].text == kind;
}

}  // namespace

RedisTaskEvents::RedisTaskEvents(std::shared_ptr<RedisClient> client)
    : client_(std::move(client)) {}

RedisTaskEvents::~RedisTaskEvents() { stop(); }

void RedisTaskEvents::publish_finished(const core::TaskId& id) {
  auto published = client_->command({"PUBLISH", client_->keys().finished_channel(), id.str()});
  if (!published.ok()) {
    core::log::warn("could not publish task finished",
                    {{"task_id", id.str()}, {"error", published.error().log_message()}});
  }
}

core::Status RedisTaskEvents::subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  if (started_) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "RedisTaskEvents::subscribe called twice");
  }
  started_ = true;
  thread_ = std::thread([this, listener = std::move(listener)] { run(listener); });
  return {};
}

void RedisTaskEvents::stop() {
  std::thread subscriber;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    subscriber = std::move(thread_);  // a concurrent stop() finds nothing left to join
  }
  stop_requested_.notify_all();
  if (subscriber.joinable()) subscriber.join();
}

bool RedisTaskEvents::sleep_unless_stopped(milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, duration, [this] { return stopping_; });
}

void RedisTaskEvents::run(const Listener& listener) {
  auto connection = client_->dedicated_connection();
  milliseconds backoff = kMinBackoff;
  while (sleep_unless_stopped(milliseconds(0))) {
    if (listen(*connection, listener)) backoff = kMinBackoff;
    subscribed_.store(false);
    connection->close();
    if (!sleep_unless_stopped(backoff)) break;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
  subscribed_.store(false);
}

bool RedisTaskEvents::listen(RedisConnection& connection, const Listener& listener) {
  const std::string channel = client_->keys().finished_channel();
  if (auto sent = connection.send({"SUBSCRIBE", channel}); !sent.ok()) {
    core::log::warn("task events: cannot subscribe", {{"error", sent.error().log_message()}});
    return false;
  }
  bool confirmed = false;
  while (sleep_unless_stopped(milliseconds(0))) {
    auto received = connection.receive(kPollInterval);
    if (!received.ok()) {
      core::log::warn("task events: subscription lost",
                      {{"error", received.error().log_message()}});
      return confirmed;
    }
    if (!received->has_value()) continue;
    const RedisReply& reply = **received;
    if (is_push(reply, "subscribe")) {
      confirmed = true;
      subscribed_.store(true);
    } else if (is_push(reply, "message")) {
      if (auto id = core::TaskId::parse(reply.elements[2].text)) listener(*id);
    }
  }
  return confirmed;
}

}  // namespace image_resize::tasks
