// RedisTaskQueue beyond the contract: blocking leases across priorities and processes, entries
// of removed tasks, lease tokens, and many consumers in several "processes" at once.

#include "tasks/redis/redis_task_queue.h"

#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "redis_test_support.h"
#include "tasks/redis/redis_task_store.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;
using Clock = std::chrono::steady_clock;

class RedisTaskQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started());
    config_ = config_for(server_);
    config_.lease_duration = 60s;  // no lease expires unless a test asks for it
    client_ = open_client(config_);
    ASSERT_NE(client_, nullptr);
    store_ = std::make_unique<RedisTaskStore>(client_);
    queue_ = std::make_unique<RedisTaskQueue>(client_);
  }

  core::TaskId create(core::Priority priority = core::Priority::normal) {
    const core::TaskRecord task = pending_task(priority);
    EXPECT_TRUE(store_->create(task).ok());
    return task.id;
  }
  std::optional<Lease> lease(RedisTaskQueue& queue, const std::string& consumer,
                             std::chrono::milliseconds wait) {
    auto leased = queue.lease(consumer, wait);
    EXPECT_TRUE(leased.ok()) << leased.error().log_message();
    return leased.ok() ? *leased : std::nullopt;
  }
  std::int64_t pending_count(core::Priority priority) {
    const RedisReply summary =
        run(*client_, {"XPENDING", client_->keys().queue(priority), std::string(kConsumerGroup)});
    return summary.elements.empty() ? -1 : summary.elements[0].as_integer().value_or(-1);
  }

  testing::RedisServer server_;
  RedisConfig config_;
  std::shared_ptr<RedisClient> client_;
  std::unique_ptr<RedisTaskStore> store_;
  std::unique_ptr<RedisTaskQueue> queue_;
};

class BlockedLeaseWakes : public RedisTaskQueueTest,
                          public ::testing::WithParamInterface<core::Priority> {};

TEST_P(BlockedLeaseWakes, ForATaskOfThisPriorityCreatedByAnotherProcess) {
  RedisConfig long_rounds = config_;
  long_rounds.block_round = 2s;  // so that only the new entry can end the wait soon
  RedisTaskQueue worker_queue(open_client(long_rounds));
  auto waiter = std::async(std::launch::async, [&] {
    auto leased = lease(worker_queue, "worker-1", 10s);
    return std::make_pair(leased, Clock::now());
  });
  std::this_thread::sleep_for(300ms);  // blocked by now
  auto api_client = open_client(config_);
  RedisTaskStore api_store(api_client);
  const core::TaskRecord task = pending_task(GetParam());
  const auto created_at = Clock::now();
  ASSERT_TRUE(api_store.create(task).ok());
  auto [leased, returned_at] = waiter.get();
  ASSERT_TRUE(leased.has_value());
  EXPECT_EQ(leased->task_id, task.id);
  EXPECT_EQ(leased->priority, GetParam());
  EXPECT_LT(returned_at - created_at, 500ms);  // woken by the entry, not by the next round
}

INSTANTIATE_TEST_SUITE_P(Priorities, BlockedLeaseWakes,
                         ::testing::Values(core::Priority::high, core::Priority::normal,
                                           core::Priority::low),
                         [](const auto& test) { return std::string(core::to_string(test.param)); });

TEST_F(RedisTaskQueueTest, BlockingLeasesTakeWaitingTasksInPriorityOrder) {
  const core::TaskId low = create(core::Priority::low);
  const core::TaskId normal = create(core::Priority::normal);
  const core::TaskId high = create(core::Priority::high);
  std::vector<core::TaskId> order;
  for (int i = 0; i < 3; ++i) order.push_back(lease(*queue_, "worker-1", 2s)->task_id);
  EXPECT_EQ(order, (std::vector<core::TaskId>{high, normal, low}));
}

TEST_F(RedisTaskQueueTest, OfTwoWaitersWokenForOneTaskTheOtherWaitsOnUntilItsDeadline) {
  auto make_waiter = [this](const std::string& name) {
    return std::async(std::launch::async, [this, name] {
      const auto start = Clock::now();
      auto leased = lease(*queue_, name, 1500ms);
      return std::make_pair(leased, Clock::now() - start);
    });
  };
  auto first = make_waiter("worker-1");
  auto second = make_waiter("worker-2");
  std::this_thread::sleep_for(300ms);
  const core::TaskId task = create();
  auto [a, a_waited] = first.get();
  auto [b, b_waited] = second.get();
  ASSERT_NE(a.has_value(), b.has_value());
  EXPECT_EQ((a ? a : b)->task_id, task);
  EXPECT_GE(a ? b_waited : a_waited, 1500ms);  // the loser did not give up early
}

TEST_F(RedisTaskQueueTest, TheLeaseTokenNamesEntryDeliveryAndConsumer) {
  create();
  const Lease leased = *lease(*queue_, "worker-7", 0ms);
  const std::string entry = leased.token.substr(0, leased.token.find('/'));
  EXPECT_EQ(leased.token, entry + "/1/worker-7");
  EXPECT_EQ(run(*client_, {"HGET", client_->keys().task(leased.task_id), "entry"}).text, entry);
}

TEST_F(RedisTaskQueueTest, AForeignOrGarbledTokenIsIgnored) {
  create();
  Lease leased = *lease(*queue_, "worker-1", 0ms);
  for (const std::string& token :
       std::vector<std::string>{"", "not-a-token", "1-0/1/worker-1", leased.token + "x"}) {
    Lease other = leased;
    other.token = token;
    EXPECT_TRUE(queue_->ack(other).ok()) << token;
    EXPECT_TRUE(queue_->release(other, 0ms).ok()) << token;
  }
  EXPECT_EQ(pending_count(core::Priority::normal), 1);
  EXPECT_TRUE(queue_->ack(leased).ok());
  EXPECT_EQ(pending_count(core::Priority::normal), 0);
}

TEST_F(RedisTaskQueueTest, AckOfALeaseWhoseTaskWasRemovedClearsThePendingEntry) {
  const core::TaskId task = create();
  const Lease leased = *lease(*queue_, "worker-1", 0ms);
  ASSERT_TRUE(store_->remove(task).ok());
  EXPECT_TRUE(queue_->ack(leased).ok());
  EXPECT_EQ(pending_count(core::Priority::normal), 0);
}

TEST_F(RedisTaskQueueTest, AnExpiredLeaseOnARemovedTaskIsDroppedNotHandedOut) {
  RedisConfig short_lease = config_;
  short_lease.lease_duration = 200ms;
  RedisTaskQueue queue(open_client(short_lease));
  const core::TaskId task = create();
  ASSERT_TRUE(lease(queue, "worker-1", 0ms).has_value());  // then the worker dies
  ASSERT_TRUE(store_->remove(task).ok());
  std::this_thread::sleep_for(short_lease.lease_duration + 100ms);
  EXPECT_FALSE(lease(queue, "worker-2", 0ms).has_value());
  EXPECT_EQ(pending_count(core::Priority::normal), 0);
}

TEST_F(RedisTaskQueueTest, AReleasedTaskKeepsItsPlaceBeforeNewerTasks) {
  const core::TaskId older = create();
  const Lease leased = *lease(*queue_, "worker-1", 0ms);
  const core::TaskId newer = create();
  ASSERT_TRUE(queue_->release(leased, 0ms).ok());
  EXPECT_EQ(lease(*queue_, "worker-2", 0ms)->task_id, older);
  EXPECT_EQ(lease(*queue_, "worker-2", 0ms)->task_id, newer);
}

TEST_F(RedisTaskQueueTest, TheConsumersOfASilentWorkerAreDeletedOnceTheyHoldNothing) {
  constexpr auto kSilence = 300ms;
  const core::TaskId held = create();
  ASSERT_TRUE(lease(*queue_, "gone-box-0", 0ms).has_value());
  create();
  auto done = lease(*queue_, "gone-box-1", 0ms);
  ASSERT_TRUE(done.has_value());
  ASSERT_TRUE(queue_->ack(*done).ok());
  auto consumers = [this] {
    std::set<std::string> names;
    const RedisReply info =
        run(*client_, {"XINFO", "CONSUMERS", client_->keys().queue(core::Priority::normal),
                       std::string(kConsumerGroup)});
    for (const RedisReply& consumer : info.elements) {
      if (consumer.elements.size() >= 2) names.insert(consumer.elements[1].text);
    }
    return names;
  };
  ASSERT_EQ(consumers().count("gone-box-0"), 1u);
  std::this_thread::sleep_for(kSilence + 200ms);

  auto reclaimed = queue_->reclaim_from_silent_workers(kSilence);
  ASSERT_TRUE(reclaimed.ok()) << reclaimed.error().log_message();
  EXPECT_EQ(*reclaimed, 1u);
  const std::set<std::string> left = consumers();
  EXPECT_EQ(left.count("gone-box-0"), 0u);
  EXPECT_EQ(left.count("gone-box-1"), 0u);
  auto again = lease(*queue_, "live-box-0", 0ms);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->task_id, held);
  EXPECT_EQ(again->reclaimed, Reclaim::worker_dead);
}

TEST_F(RedisTaskQueueTest, ARenewalKeepsTheDeliveryCountAndResetsTheIdleTime) {
  create();
  auto held = lease(*queue_, "box-0", 0ms);
  ASSERT_TRUE(held.has_value());
  std::this_thread::sleep_for(300ms);
  auto renewed = queue_->renew(*held);
  ASSERT_TRUE(renewed.ok() && *renewed);
  const RedisReply pending =
      run(*client_, {"XPENDING", client_->keys().queue(core::Priority::normal),
                     std::string(kConsumerGroup), "-", "+", "1"});
  ASSERT_EQ(pending.elements.size(), 1u);
  ASSERT_EQ(pending.elements[0].elements.size(), 4u);
  EXPECT_EQ(pending.elements[0].elements[1].text, "box-0");
  EXPECT_LT(pending.elements[0].elements[2].as_integer().value_or(-1), 250);
  EXPECT_EQ(pending.elements[0].elements[3].as_integer().value_or(-1), 1);
  ASSERT_TRUE(queue_->ack(*held).ok());
}

TEST_F(RedisTaskQueueTest, AStreamKeyOfTheWrongTypeIsAnInternalError) {
  run(*client_, {"SET", client_->keys().queue(core::Priority::normal), "not a stream"});
  auto leased = queue_->lease("worker-1", 0ms);
  ASSERT_FALSE(leased.ok());
  EXPECT_EQ(leased.error().code, core::ErrorCode::internal);
  EXPECT_NE(leased.error().internal_message.find("WRONGTYPE"), std::string::npos)
      << leased.error().internal_message;
}

TEST_F(RedisTaskQueueTest, InterruptIsSticky) {
  create();
  queue_->interrupt();
  const auto start = Clock::now();
  EXPECT_FALSE(lease(*queue_, "worker-1", 5s).has_value());
  EXPECT_LT(Clock::now() - start, 100ms);
  RedisTaskQueue other(client_);  // another queue object is not interrupted
  EXPECT_TRUE(lease(other, "worker-2", 0ms).has_value());
}

TEST_F(RedisTaskQueueTest, ManyConsumersInTwoProcessesLeaseEachTaskOnce) {
  constexpr int kTasks = 300;
  std::vector<std::unique_ptr<RedisTaskQueue>> processes;
  for (int p = 0; p < 2; ++p) {
    processes.push_back(std::make_unique<RedisTaskQueue>(open_client(config_)));
  }
  std::mutex mutex;
  std::vector<core::TaskId> leased;
  std::vector<std::thread> consumers;
  for (int c = 0; c < 6; ++c) {
    consumers.emplace_back([&, c] {
      RedisTaskQueue& queue = *processes[static_cast<std::size_t>(c % 2)];
      while (true) {
        auto lease = queue.lease("worker-" + std::to_string(c), 700ms);
        EXPECT_TRUE(lease.ok());
        if (!lease.ok() || !lease->has_value()) return;
        EXPECT_TRUE(queue.ack(**lease).ok());
        std::lock_guard lock(mutex);
        leased.push_back((*lease)->task_id);
      }
    });
  }
  std::set<core::TaskId> created;  // created while the consumers block and lease
  for (int i = 0; i < kTasks; ++i) created.insert(create(static_cast<core::Priority>(i % 3)));
  for (auto& consumer : consumers) consumer.join();
  EXPECT_EQ(leased.size(), created.size());
  EXPECT_EQ(std::set<core::TaskId>(leased.begin(), leased.end()), created);
  auto depth = queue_->depth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->total(), 0u);
}

}  // namespace
}  // namespace image_resize::tasks
