// RedisTaskEvents: "task finished" notifications between processes, through Redis restarts.

#include "tasks/redis/redis_task_events.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "redis_test_support.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;
using Clock = std::chrono::steady_clock;

// Collects what a listener was called with.
class Received {
 public:
  RedisTaskEvents::Listener listener() {
    return [this](const core::TaskId& id) {
      std::lock_guard lock(mutex_);
      ids_.push_back(id);
      changed_.notify_all();
    };
  }
  bool wait_for(const core::TaskId& id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return std::find(ids_.begin(), ids_.end(), id) != ids_.end(); });
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return ids_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<core::TaskId> ids_;
};

bool wait_until_subscribed(const RedisTaskEvents& events, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!events.subscribed() && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  return events.subscribed();
}

class RedisTaskEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started());
    config_ = config_for(server_);
  }

  testing::RedisServer server_{{.appendonly = true}};
  RedisConfig config_;
};

TEST_F(RedisTaskEventsTest, AWorkersPublishReachesAnApiProcessSubscriber) {
  RedisTaskEvents api(open_client(config_));
  RedisTaskEvents worker(open_client(config_));
  Received received;
  ASSERT_TRUE(api.subscribe(received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(api, 5s));
  const core::TaskId id = core::TaskId::generate();
  worker.publish_finished(id);
  EXPECT_TRUE(received.wait_for(id, 2s));
}

TEST_F(RedisTaskEventsTest, EverySubscriberGetsEveryEvent) {
  RedisTaskEvents first(open_client(config_));
  RedisTaskEvents second(open_client(config_));
  Received first_received, second_received;
  ASSERT_TRUE(first.subscribe(first_received.listener()).ok());
  ASSERT_TRUE(second.subscribe(second_received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(first, 5s) && wait_until_subscribed(second, 5s));
  std::vector<core::TaskId> ids(20, core::TaskId::generate());
  for (auto& id : ids) {
    id = core::TaskId::generate();
    first.publish_finished(id);
  }
  for (const auto& id : ids) {
    EXPECT_TRUE(first_received.wait_for(id, 2s));
    EXPECT_TRUE(second_received.wait_for(id, 2s));
  }
}

TEST_F(RedisTaskEventsTest, AnotherPrefixIsAnotherDeployment) {
  RedisConfig other = config_for(server_);  // a fresh prefix
  RedisTaskEvents mine(open_client(config_));
  RedisTaskEvents theirs(open_client(other));
  Received received;
  ASSERT_TRUE(mine.subscribe(received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(mine, 5s));
  theirs.publish_finished(core::TaskId::generate());
  const core::TaskId id = core::TaskId::generate();
  mine.publish_finished(id);
  ASSERT_TRUE(received.wait_for(id, 2s));
  EXPECT_EQ(received.count(), 1u);
}

TEST_F(RedisTaskEventsTest, TheSubscriptionComesBackAfterARedisRestart) {
  RedisTaskEvents api(open_client(config_));
  RedisTaskEvents worker(open_client(config_));
  Received received;
  ASSERT_TRUE(api.subscribe(received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(api, 5s));

  server_.kill9();
  const auto deadline = Clock::now() + 2s;
  while (api.subscribed() && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(api.subscribed());
  worker.publish_finished(core::TaskId::generate());  // logged, not thrown

  ASSERT_TRUE(server_.restart());
  ASSERT_TRUE(wait_until_subscribed(api, 5s));
  const core::TaskId id = core::TaskId::generate();
  worker.publish_finished(id);
  EXPECT_TRUE(received.wait_for(id, 2s));
}

TEST_F(RedisTaskEventsTest, StopIsPromptEvenWhileRedisIsDown) {
  RedisTaskEvents api(open_client(config_));
  Received received;
  ASSERT_TRUE(api.subscribe(received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(api, 5s));
  server_.kill9();
  std::this_thread::sleep_for(1500ms);  // into the reconnect backoff
  const auto start = Clock::now();
  api.stop();
  EXPECT_LT(Clock::now() - start, 500ms);
  EXPECT_FALSE(api.subscribed());
}

TEST_F(RedisTaskEventsTest, StopWhileSubscribedIsPromptAndTheDestructorIsSafeAfterIt) {
  auto api = std::make_unique<RedisTaskEvents>(open_client(config_));
  Received received;
  ASSERT_TRUE(api->subscribe(received.listener()).ok());
  ASSERT_TRUE(wait_until_subscribed(*api, 5s));
  const auto start = Clock::now();
  api->stop();
  api->stop();
  api.reset();
  EXPECT_LT(Clock::now() - start, 500ms);
}

TEST_F(RedisTaskEventsTest, SubscribingTwiceIsRefused) {
  RedisTaskEvents api(open_client(config_));
  Received received;
  ASSERT_TRUE(api.subscribe(received.listener()).ok());
  EXPECT_FALSE(api.subscribe(received.listener()).ok());
}

TEST_F(RedisTaskEventsTest, SubscribeWhileRedisIsDownConnectsWhenItComesUp) {
  server_.stop();
  RedisTaskEvents api(open_client(config_));
  Received received;
  ASSERT_TRUE(api.subscribe(received.listener()).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(api.subscribed());
  ASSERT_TRUE(server_.restart());
  EXPECT_TRUE(wait_until_subscribed(api, 5s));
}

}  // namespace
}  // namespace image_resize::tasks
