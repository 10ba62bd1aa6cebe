// What only the SQLite queue promises beyond the contract suite (tests/contract): in-process
// wake-ups that do not wait for the poll, polling that finds work written through another
// connection, a sticky interrupt, expire_all_leases(), and config validation.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "unit/tasks/sqlite/sqlite_test_support.h"

namespace image_resize::tasks {
namespace {

using Clock = std::chrono::steady_clock;

class SqliteTaskQueueTest : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_.path() / "tasks.db"; }
  SqliteHandles open(SqliteQueueConfig config = {}) {
    auto handles = SqliteHandles::open(db_path(), config);
    EXPECT_TRUE(handles.ok());
    return handles;
  }

  // Starts a lease() on another thread and returns when it finished.
  static auto lease_async(SqliteTaskQueue& queue, std::chrono::milliseconds wait) {
    return std::async(std::launch::async, [&queue, wait] {
      auto leased = queue.lease("waiter", wait);
      return std::make_pair(std::move(leased), Clock::now());
    });
  }

 private:
  testing::TempDir dir_;
};

// A poll interval far longer than the test may take: only the in-process signal can be quick.
constexpr SqliteQueueConfig kSlowPoll{.poll_interval = 20s};

TEST_F(SqliteTaskQueueTest, CreateWakesABlockedLeaseWithoutWaitingForThePoll) {
  auto handles = open(kSlowPoll);
  ASSERT_TRUE(handles.ok());
  auto waiter = lease_async(*handles.queue, 30s);
  std::this_thread::sleep_for(200ms);
  const auto created_at = Clock::now();
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(handles.store->create(task).ok());
  auto [leased, returned_at] = waiter.get();
  ASSERT_TRUE(leased.ok() && leased->has_value());
  EXPECT_EQ((*leased)->task_id, task.id);
  EXPECT_LT(returned_at - created_at, 500ms);
}

TEST_F(SqliteTaskQueueTest, ReleaseWakesABlockedLeaseWithoutWaitingForThePoll) {
  auto handles = open(kSlowPoll);
  ASSERT_TRUE(handles.ok());
  ASSERT_TRUE(handles.store->create(pending_task()).ok());
  auto held = handles.queue->lease("holder", 0ms);
  ASSERT_TRUE(held.ok() && held->has_value());
  auto waiter = lease_async(*handles.queue, 30s);
  std::this_thread::sleep_for(200ms);
  const auto released_at = Clock::now();
  ASSERT_TRUE(handles.queue->release(**held, 0ms).ok());
  auto [leased, returned_at] = waiter.get();
  ASSERT_TRUE(leased.ok() && leased->has_value());
  EXPECT_EQ((*leased)->task_id, (*held)->task_id);
  EXPECT_LT(returned_at - released_at, 500ms);
}

TEST_F(SqliteTaskQueueTest, PollingFindsATaskCreatedThroughAnotherOpenOfTheFile) {
  // Two opens share no WorkSignal, like two processes: only the poll can find the task.
  auto consumer = open({.poll_interval = 100ms});
  auto producer = open();
  ASSERT_TRUE(consumer.ok() && producer.ok());
  auto waiter = lease_async(*consumer.queue, 10s);
  std::this_thread::sleep_for(300ms);
  const auto created_at = Clock::now();
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(producer.store->create(task).ok());
  auto [leased, returned_at] = waiter.get();
  ASSERT_TRUE(leased.ok() && leased->has_value());
  EXPECT_EQ((*leased)->task_id, task.id);
  EXPECT_LT(returned_at - created_at, 2s);
}

TEST_F(SqliteTaskQueueTest, AfterInterruptLeaseReturnsNothingAtOnceEvenWithWork) {
  auto handles = open();
  ASSERT_TRUE(handles.ok());
  ASSERT_TRUE(handles.store->create(pending_task()).ok());
  handles.queue->interrupt();
  const auto start = Clock::now();
  auto leased = handles.queue->lease("late-worker", 5s);
  ASSERT_TRUE(leased.ok());
  EXPECT_FALSE(leased->has_value());
  EXPECT_LT(Clock::now() - start, 500ms);
  // The task stays for the next run.
  auto depth = handles.queue->depth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->total(), 1u);
}

TEST_F(SqliteTaskQueueTest, ExpireAllLeasesFreesEveryLeaseAndKeepsTheDeliveryCounts) {
  auto previous_run = open({.lease_duration = 1h});
  ASSERT_TRUE(previous_run.ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(previous_run.store->create(pending_task()).ok());
  for (int i = 0; i < 2; ++i) {
    auto leased = previous_run.queue->lease("dead-worker", 0ms);
    ASSERT_TRUE(leased.ok() && leased->has_value());
  }
  previous_run = SqliteHandles{};  // the process died holding two leases

  auto next_run = open({.lease_duration = 1h});
  ASSERT_TRUE(next_run.ok());
  auto freed = next_run.queue->expire_all_leases();
  ASSERT_TRUE(freed.ok()) << freed.error().log_message();
  EXPECT_EQ(*freed, 2u);
  std::vector<int> deliveries;
  for (int i = 0; i < 3; ++i) {
    auto leased = next_run.queue->lease("new-worker", 0ms);
    ASSERT_TRUE(leased.ok() && leased->has_value());
    deliveries.push_back((*leased)->delivery);
  }
  EXPECT_EQ(deliveries, (std::vector<int>{2, 2, 1}));
  auto again = next_run.queue->expire_all_leases();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 3u);
}

TEST_F(SqliteTaskQueueTest, ExpireAllLeasesOnAnIdleQueueFreesNothing) {
  auto handles = open();
  ASSERT_TRUE(handles.ok());
  ASSERT_TRUE(handles.store->create(pending_task()).ok());
  auto freed = handles.queue->expire_all_leases();
  ASSERT_TRUE(freed.ok());
  EXPECT_EQ(*freed, 0u);
}

TEST_F(SqliteTaskQueueTest, TheLeaseRecordsItsOwnerAndExpiry) {
  auto handles = open({.lease_duration = 30s});
  ASSERT_TRUE(handles.ok());
  ASSERT_TRUE(handles.store->create(pending_task()).ok());
  const std::int64_t before = core::to_unix_ms(core::now());
  auto leased = handles.queue->lease("worker-7", 0ms);
  ASSERT_TRUE(leased.ok() && leased->has_value());
  EXPECT_EQ(raw_sql(db_path(), "SELECT lease_owner FROM queue"), "worker-7");
  const std::int64_t expiry = std::stoll(raw_sql(db_path(), "SELECT lease_expires_at FROM queue"));
  EXPECT_GE(expiry, before + 30'000);
  EXPECT_LT(expiry, before + 35'000);
}

struct InvalidQueueConfig {
  std::string name;
  SqliteQueueConfig config;
};

class SqliteQueueConfigTest : public ::testing::TestWithParam<InvalidQueueConfig> {};

TEST_P(SqliteQueueConfigTest, IsRefused) {
  EXPECT_FALSE(GetParam().config.validate().ok());
  testing::TempDir dir;
  auto database = SqliteDatabase::open({.path = dir.path() / "tasks.db"});
  ASSERT_TRUE(database.ok());
  EXPECT_FALSE(SqliteTaskQueue::open(*database, GetParam().config).ok());
}

INSTANTIATE_TEST_SUITE_P(Invalid, SqliteQueueConfigTest,
                         ::testing::Values(InvalidQueueConfig{"ZeroLease", {.lease_duration = 0ms}},
                                           InvalidQueueConfig{"NegativeLease",
                                                              {.lease_duration = -5ms}},
                                           InvalidQueueConfig{"ZeroPoll", {.poll_interval = 0ms}}),
                         [](const auto& test) { return test.param.name; });

TEST(SqliteQueueConfig, TheDefaultsAreValid) { EXPECT_TRUE(SqliteQueueConfig{}.validate().ok()); }

}  // namespace
}  // namespace image_resize::tasks
