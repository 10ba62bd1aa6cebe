// Redis going away and coming back: calls fail with backend_unavailable while it is down and
// work again afterwards with the same objects (no reopening in the API or worker).

#include <future>

#include "redis_test_support.h"
#include "tasks/redis/redis_task_queue.h"
#include "tasks/redis/redis_task_store.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;
using Clock = std::chrono::steady_clock;

class RedisReconnect : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started());
    client_ = open_client(config_for(server_));
    ASSERT_NE(client_, nullptr);
    store_ = std::make_unique<RedisTaskStore>(client_);
    queue_ = std::make_unique<RedisTaskQueue>(client_);
  }

  static void expect_unavailable(const core::Status& status) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::backend_unavailable)
        << status.error().log_message();
  }
  template <class T>
  static void expect_unavailable(const core::Result<T>& result) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::backend_unavailable)
        << result.error().log_message();
  }

  testing::RedisServer server_{{.appendonly = true, .fsync_always = true}};
  std::shared_ptr<RedisClient> client_;
  std::unique_ptr<RedisTaskStore> store_;
  std::unique_ptr<RedisTaskQueue> queue_;
};

TEST_F(RedisReconnect, EveryCallFailsWhileRedisIsDownAndWorksAgainAfterARestart) {
  const core::TaskRecord before = pending_task();
  ASSERT_TRUE(store_->create(before).ok());
  ASSERT_TRUE(store_->ping().ok());

  server_.stop();
  expect_unavailable(store_->ping());
  expect_unavailable(store_->create(pending_task()));
  expect_unavailable(store_->get(before.id));
  expect_unavailable(store_->mark_started(before.id, 1, core::now()));
  expect_unavailable(store_->remove(before.id));
  expect_unavailable(store_->remove_expired(core::now(), 10));
  expect_unavailable(queue_->lease("worker-1", 0ms));
  expect_unavailable(queue_->depth());

  ASSERT_TRUE(server_.restart());
  EXPECT_TRUE(store_->ping().ok());
  const core::TaskRecord after = pending_task(core::Priority::high);
  ASSERT_TRUE(store_->create(after).ok());
  auto found = store_->get(before.id);
  ASSERT_TRUE(found.ok()) << found.error().log_message();
  EXPECT_TRUE(found->has_value());  // appendonly kept it across the restart
  auto leased = queue_->lease("worker-1", 0ms);
  ASSERT_TRUE(leased.ok()) << leased.error().log_message();
  ASSERT_TRUE(leased->has_value());
  EXPECT_EQ((*leased)->task_id, after.id);
  EXPECT_TRUE(queue_->ack(**leased).ok());
}

TEST_F(RedisReconnect, EveryPooledConnectionReconnects) {
  // Several threads at once fill the pool with several connections; all break on the restart.
  auto hammer = [this] {
    std::vector<std::future<bool>> calls;
    for (int i = 0; i < 6; ++i) {
      calls.push_back(std::async(std::launch::async, [this] {
        bool all_ok = true;
        for (int n = 0; n < 20; ++n) all_ok = all_ok && store_->ping().ok();
        return all_ok;
      }));
    }
    bool all_ok = true;
    for (auto& call : calls) all_ok = call.get() && all_ok;
    return all_ok;
  };
  ASSERT_TRUE(hammer());
  server_.kill9();
  ASSERT_TRUE(server_.restart());
  // Connections that Redis closed while idle are noticed before use: no call fails.
  EXPECT_TRUE(hammer());
}

TEST_F(RedisReconnect, ABlockedLeaseReturnsAnErrorPromptlyWhenRedisDies) {
  auto waiter = std::async(std::launch::async, [this] {
    auto leased = queue_->lease("worker-1", 10s);
    return std::make_pair(leased.ok() ? core::ErrorCode::internal : leased.error().code,
                          Clock::now());
  });
  std::this_thread::sleep_for(300ms);
  const auto killed_at = Clock::now();
  server_.kill9();
  auto [code, returned_at] = waiter.get();
  EXPECT_EQ(code, core::ErrorCode::backend_unavailable);
  EXPECT_LT(returned_at - killed_at, 1s);
}

TEST_F(RedisReconnect, QueueGroupsAreRecreatedWhenRedisLostItsData) {
  ASSERT_TRUE(store_->create(pending_task()).ok());
  auto first = queue_->lease("worker-1", 0ms);
  ASSERT_TRUE(first.ok() && first->has_value());
  server_.flush_all();  // as if Redis restarted without persistence: no streams, no groups

  const core::TaskRecord task = pending_task(core::Priority::low);
  ASSERT_TRUE(store_->create(task).ok());
  auto leased = queue_->lease("worker-1", 0ms);
  ASSERT_TRUE(leased.ok()) << leased.error().log_message();
  ASSERT_TRUE(leased->has_value());
  EXPECT_EQ((*leased)->task_id, task.id);
  EXPECT_EQ((*leased)->delivery, 1);
  EXPECT_TRUE(queue_->ack(**first).ok());  // a lease from before the loss is simply stale
}

}  // namespace
}  // namespace image_resize::tasks
