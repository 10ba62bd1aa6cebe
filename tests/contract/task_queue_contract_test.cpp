// The TaskQueue contract (tasks/task_queue.h), run against every backend in TaskBackends.

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kShortLease = 100ms;

template <class Backend>
class TaskQueueContract : public TaskContractFixture<Backend> {};
TYPED_TEST_SUITE(TaskQueueContract, TaskBackends);

TYPED_TEST(TaskQueueContract, LeaseOfAnEmptyQueueWaitsThenReturnsNothing) {
  const auto start = Clock::now();
  auto leased = this->queue().lease("worker-1", 300ms);
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(leased.ok()) << leased.error().log_message();
  EXPECT_FALSE(leased->has_value());
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 3s);
}

TYPED_TEST(TaskQueueContract, FirstLeaseIsDeliveryOneOfTheTaskAtItsPriority) {
  const core::TaskRecord task = this->create(core::Priority::high);
  const tasks::Lease lease = this->lease_now();
  EXPECT_EQ(lease.task_id, task.id);
  EXPECT_EQ(lease.priority, core::Priority::high);
  EXPECT_EQ(lease.delivery, 1);
  EXPECT_FALSE(lease.token.empty());
}

TYPED_TEST(TaskQueueContract, LeasesHighBeforeNormalBeforeLowOldestFirstWithin) {
  using core::Priority;
  const core::TaskId low_1 = this->create(Priority::low).id;
  const core::TaskId normal_1 = this->create(Priority::normal).id;
  const core::TaskId high_1 = this->create(Priority::high).id;
  const core::TaskId low_2 = this->create(Priority::low).id;
  const core::TaskId high_2 = this->create(Priority::high).id;
  const core::TaskId normal_2 = this->create(Priority::normal).id;

  std::vector<core::TaskId> order;
  order.reserve(6);
  for (int i = 0; i < 6; ++i) order.push_back(this->lease_now().task_id);
  EXPECT_EQ(order, (std::vector<core::TaskId>{high_1, high_2, normal_1, normal_2, low_1, low_2}));
  EXPECT_TRUE(this->nothing_to_lease());
}

TYPED_TEST(TaskQueueContract, ALeasedTaskIsNotHandedOutAgainWhileTheLeaseHolds) {
  this->create();
  this->lease_now("worker-1");
  auto second = this->queue().lease("worker-2", 200ms);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TYPED_TEST(TaskQueueContract, AnExpiredLeaseIsHandedOutAgainWithTheNextDeliveryCount) {
  this->use_backend({.lease_duration = kShortLease});
  const core::TaskRecord task = this->create();
  const tasks::Lease first = this->lease_now("worker-1");
  std::this_thread::sleep_for(kShortLease + 50ms);
  const tasks::Lease second = this->lease_now("worker-2");
  std::this_thread::sleep_for(kShortLease + 50ms);
  const tasks::Lease third = this->lease_now("worker-3");

  EXPECT_EQ(second.task_id, task.id);
  EXPECT_EQ(third.task_id, task.id);
  EXPECT_EQ(first.delivery, 1);
  EXPECT_EQ(second.delivery, 2);
  EXPECT_EQ(third.delivery, 3);
  EXPECT_NE(second.token, first.token);
  EXPECT_NE(third.token, second.token);
}

TYPED_TEST(TaskQueueContract, ABlockedLeaseFindsALeaseThatExpires) {
  this->use_backend({.lease_duration = kShortLease});
  const core::TaskRecord task = this->create();
  this->lease_now("worker-1");
  auto again = this->queue().lease("worker-2", 3s);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->task_id, task.id);
  EXPECT_EQ((*again)->delivery, 2);
}

TYPED_TEST(TaskQueueContract, AnExpiredLeaseComesBeforeNewerTasksOfItsPriority) {
  this->use_backend({.lease_duration = kShortLease});
  const core::TaskRecord first = this->create();
  this->lease_now("worker-1");
  std::this_thread::sleep_for(kShortLease + 50ms);
  this->create();
  EXPECT_EQ(this->lease_now("worker-2").task_id, first.id);
}

TYPED_TEST(TaskQueueContract, AckRemovesTheEntryButNotTheTask) {
  const core::TaskRecord task = this->create();
  const tasks::Lease lease = this->lease_now();
  ASSERT_TRUE(this->queue().ack(lease).ok());
  EXPECT_EQ(this->depth_total(), 0u);
  EXPECT_TRUE(this->nothing_to_lease());
  EXPECT_TRUE(this->get(task.id).has_value());
}

TYPED_TEST(TaskQueueContract, AStaleAckDoesNotRemoveTheNewOwnersLease) {
  this->use_backend({.lease_duration = kShortLease});
  this->create();
  const tasks::Lease stale = this->lease_now("worker-1");
  std::this_thread::sleep_for(kShortLease + 50ms);
  const tasks::Lease current = this->lease_now("worker-2");

  EXPECT_TRUE(this->queue().ack(stale).ok());
  EXPECT_EQ(this->depth_total(), 1u);
  ASSERT_TRUE(this->queue().ack(current).ok());
  EXPECT_EQ(this->depth_total(), 0u);
}

TYPED_TEST(TaskQueueContract, AStaleReleaseDoesNotFreeTheNewOwnersLease) {
  this->use_backend({.lease_duration = 500ms});
  this->create();
  const tasks::Lease stale = this->lease_now("worker-1");
  std::this_thread::sleep_for(600ms);
  this->lease_now("worker-2");

  EXPECT_TRUE(this->queue().release(stale, 0ms).ok());
  EXPECT_TRUE(this->nothing_to_lease());
}

TYPED_TEST(TaskQueueContract, ReleaseHandsTheTaskOutAgainAtOnceWithoutCountingTheDelivery) {
  const core::TaskRecord task = this->create();
  const tasks::Lease first = this->lease_now("worker-1");
  ASSERT_TRUE(this->queue().release(first, 0ms).ok());
  const tasks::Lease again = this->lease_now("worker-2");
  EXPECT_EQ(again.task_id, task.id);
  EXPECT_EQ(again.delivery, 1);
}

TYPED_TEST(TaskQueueContract, ReleaseAfterARedeliveryKeepsTheEarlierDelivery) {
  this->use_backend({.lease_duration = kShortLease});
  this->create();
  this->lease_now("worker-1");
  std::this_thread::sleep_for(kShortLease + 50ms);
  const tasks::Lease second = this->lease_now("worker-2");
  ASSERT_EQ(second.delivery, 2);
  ASSERT_TRUE(this->queue().release(second, 0ms).ok());
  EXPECT_EQ(this->lease_now("worker-3").delivery, 2);
}

TYPED_TEST(TaskQueueContract, RetryHandsTheTaskOutAgainAtOnceCountingTheDelivery) {
  const core::TaskRecord task = this->create();
  const tasks::Lease first = this->lease_now("worker-1");
  ASSERT_TRUE(this->queue().retry(first, std::chrono::milliseconds(0)).ok());
  const tasks::Lease second = this->lease_now("worker-2");
  EXPECT_EQ(second.task_id, task.id);
  EXPECT_EQ(second.delivery, 2);
  ASSERT_TRUE(this->queue().retry(second, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(this->lease_now("worker-1").delivery, 3);
}

TYPED_TEST(TaskQueueContract, AStaleRetryDoesNotFreeTheNewOwnersLease) {
  this->use_backend({.lease_duration = 500ms});
  this->create();
  const tasks::Lease stale = this->lease_now("worker-1");
  std::this_thread::sleep_for(600ms);
  const tasks::Lease current = this->lease_now("worker-2");

  EXPECT_TRUE(this->queue().retry(stale, std::chrono::milliseconds(0)).ok());
  EXPECT_TRUE(this->nothing_to_lease());
  ASSERT_TRUE(this->queue().ack(current).ok());
  EXPECT_EQ(this->depth_total(), 0u);
}

TYPED_TEST(TaskQueueContract, ARenewedLeaseOutlastsItsDurationAndExpiresOnceRenewalsStop) {
  this->use_backend({.lease_duration = 400ms});
  const core::TaskRecord task = this->create();
  const tasks::Lease held = this->lease_now("worker-1");
  for (int i = 0; i < 5; ++i) {  // 1 s in all: well past the lease
    std::this_thread::sleep_for(200ms);
    auto renewed = this->queue().renew(held);
    ASSERT_TRUE(renewed.ok()) << renewed.error().log_message();
    EXPECT_TRUE(*renewed) << "renewal " << i;
    EXPECT_TRUE(this->nothing_to_lease()) << "handed out while renewed, after " << i;
  }
  std::this_thread::sleep_for(500ms);
  const tasks::Lease taken = this->lease_now("worker-2");
  EXPECT_EQ(taken.task_id, task.id);
  EXPECT_EQ(taken.delivery, 2);
  EXPECT_EQ(taken.reclaimed, tasks::Reclaim::lease_expired);

  auto stale = this->queue().renew(held);
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale) << "the lease is worker-2's now";
  auto current = this->queue().renew(taken);
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(*current);
}

TYPED_TEST(TaskQueueContract, AFirstDeliveryIsNoReclaim) {
  this->create();
  EXPECT_EQ(this->lease_now().reclaimed, tasks::Reclaim::none);
}

TYPED_TEST(TaskQueueContract, AnAckedLeaseCannotBeRenewed) {
  this->create();
  const tasks::Lease lease = this->lease_now();
  ASSERT_TRUE(this->queue().ack(lease).ok());
  auto renewed = this->queue().renew(lease);
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(*renewed);
}

TYPED_TEST(TaskQueueContract, ADelayedReleaseHandsTheTaskOutOnlyAfterTheDelay) {
  const core::TaskRecord task = this->create();
  const tasks::Lease first = this->lease_now("worker-1");
  ASSERT_TRUE(this->queue().release(first, 600ms).ok());
  EXPECT_TRUE(this->nothing_to_lease());
  auto again = this->queue().lease("worker-2", 5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->task_id, task.id);
  EXPECT_EQ((*again)->delivery, 1) << "a release is not an attempt";
  EXPECT_EQ((*again)->reclaimed, tasks::Reclaim::handed_back);
}

TYPED_TEST(TaskQueueContract, ADelayedRetryHandsTheTaskOutOnlyAfterTheDelayCountingTheDelivery) {
  const core::TaskRecord task = this->create();
  const tasks::Lease first = this->lease_now("worker-1");
  const auto retried = Clock::now();
  ASSERT_TRUE(this->queue().retry(first, 600ms).ok());
  EXPECT_TRUE(this->nothing_to_lease());
  auto again = this->queue().lease("worker-2", 5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_GE(Clock::now() - retried, 550ms);  // less a margin for Redis' ms clock
  EXPECT_EQ((*again)->task_id, task.id);
  EXPECT_EQ((*again)->delivery, 2) << "a retry counts the failed attempt";
  EXPECT_EQ((*again)->reclaimed, tasks::Reclaim::handed_back);
}

TYPED_TEST(TaskQueueContract, ReleaseAllHandsBackEveryTaskOfOneConsumerAndNoOther) {
  const core::TaskId first = this->create().id;
  const core::TaskId second = this->create().id;
  const core::TaskId other = this->create().id;
  ASSERT_EQ(this->lease_now("box-a-0").task_id, first);
  ASSERT_EQ(this->lease_now("box-a-0").task_id, second);
  ASSERT_EQ(this->lease_now("box-b-0").task_id, other);

  auto freed = this->queue().release_all("box-a-0");
  ASSERT_TRUE(freed.ok()) << freed.error().log_message();
  EXPECT_EQ(*freed, 2u);
  std::set<core::TaskId> again;
  for (int i = 0; i < 2; ++i) {
    const tasks::Lease lease = this->lease_now("box-c-0");
    EXPECT_EQ(lease.delivery, 1);
    EXPECT_EQ(lease.reclaimed, tasks::Reclaim::handed_back);
    again.insert(lease.task_id);
  }
  EXPECT_EQ(again, (std::set<core::TaskId>{first, second}));
  EXPECT_TRUE(this->nothing_to_lease()) << "box-b's task stays leased";
}

TYPED_TEST(TaskQueueContract, TasksOfASilentWorkerAreHandedOutAgainAndLiveOnesKeepTheirs) {
  constexpr auto kSilence = 300ms;
  const core::TaskId of_live = this->create().id;
  const core::TaskId of_dead = this->create().id;
  const core::TaskId of_unknown = this->create().id;
  ASSERT_EQ(this->lease_now("live-box-0").task_id, of_live);
  ASSERT_EQ(this->lease_now("dead-box-1").task_id, of_dead);
  ASSERT_EQ(this->lease_now("never-beat-0").task_id, of_unknown);
  auto beat = [this](const std::string& name) {
    const core::WorkerStatus status{.name = name,
                                    .threads = 1,
                                    .busy = 0,
                                    .started_at = core::now(),
                                    .last_seen = core::now(),
                                    .recent = {}};
    ASSERT_TRUE(this->workers().beat(status).ok());
  };
  beat("dead-box");
  std::this_thread::sleep_for(kSilence + 200ms);
  beat("live-box");
  // Leased just now by a worker that has not beaten yet: too young to take for a dead one's.
  const core::TaskId of_newcomer = this->create().id;
  ASSERT_EQ(this->lease_now("newcomer-0").task_id, of_newcomer);

  auto reclaimed = this->queue().reclaim_from_silent_workers(kSilence);
  ASSERT_TRUE(reclaimed.ok()) << reclaimed.error().log_message();
  EXPECT_EQ(*reclaimed, 2u);
  std::set<core::TaskId> again;
  for (int i = 0; i < 2; ++i) {
    const tasks::Lease lease = this->lease_now("live-box-1");
    EXPECT_EQ(lease.delivery, 2) << "the dead worker's attempt counts";
    EXPECT_EQ(lease.reclaimed, tasks::Reclaim::worker_dead);
    again.insert(lease.task_id);
  }
  EXPECT_EQ(again, (std::set<core::TaskId>{of_dead, of_unknown}));
  EXPECT_TRUE(this->nothing_to_lease());
  auto none = this->queue().reclaim_from_silent_workers(kSilence);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u) << "the new holder is live";
}

TYPED_TEST(TaskQueueContract, ARenewedLeaseOfASilentWorkerIsTakenOnlyOnceTheRenewalIsOld) {
  constexpr auto kSilence = 400ms;
  this->create();
  const tasks::Lease held = this->lease_now("quiet-box-0");
  std::this_thread::sleep_for(kSilence);
  auto renewed = this->queue().renew(held);
  ASSERT_TRUE(renewed.ok() && *renewed);
  auto young = this->queue().reclaim_from_silent_workers(kSilence);
  ASSERT_TRUE(young.ok());
  EXPECT_EQ(*young, 0u);
  std::this_thread::sleep_for(kSilence + 100ms);
  auto old = this->queue().reclaim_from_silent_workers(kSilence);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, 1u);
}

TYPED_TEST(TaskQueueContract, DepthCountsWaitingAndLeasedTasksByPriority) {
  using core::Priority;
  for (Priority priority : {Priority::high, Priority::low, Priority::low, Priority::normal,
                            Priority::low, Priority::normal}) {
    this->create(priority);
  }
  this->lease_now();  // a leased task is still on the queue
  auto depth = this->queue().depth();
  ASSERT_TRUE(depth.ok()) << depth.error().log_message();
  EXPECT_EQ(depth->by_priority, (std::array<std::uint64_t, 3>{1, 2, 3}));
  EXPECT_EQ(depth->total(), 6u);
}

TYPED_TEST(TaskQueueContract, OldestWaitingIsTheUploadOfTheOldestTaskNotYetStarted) {
  using core::Priority;
  auto none = this->queue().oldest_waiting();
  ASSERT_TRUE(none.ok()) << none.error().log_message();
  EXPECT_EQ(*none, tasks::OldestWaiting{});

  const core::TaskRecord first = this->create(Priority::normal);
  std::this_thread::sleep_for(20ms);
  const core::TaskRecord second = this->create(Priority::normal);
  this->create(Priority::low);
  auto oldest = this->queue().oldest_waiting();
  ASSERT_TRUE(oldest.ok()) << oldest.error().log_message();
  EXPECT_FALSE((*oldest)[static_cast<std::size_t>(Priority::high)]);
  ASSERT_TRUE((*oldest)[static_cast<std::size_t>(Priority::normal)]);
  ASSERT_TRUE((*oldest)[static_cast<std::size_t>(Priority::low)]);
  // Redis counts from the queue entry its upload added: the same moment, to a few milliseconds.
  const auto normal = *(*oldest)[static_cast<std::size_t>(Priority::normal)];
  EXPECT_LT(std::chrono::abs(normal - first.created_at), 10ms);

  // Started tasks no longer wait: the next one is the oldest.
  EXPECT_EQ(this->lease_now().task_id, first.id);
  oldest = this->queue().oldest_waiting();
  ASSERT_TRUE(oldest.ok());
  const auto next = (*oldest)[static_cast<std::size_t>(Priority::normal)];
  ASSERT_TRUE(next);
  EXPECT_LT(std::chrono::abs(*next - second.created_at), 10ms);
  this->lease_now();
  this->lease_now();
  oldest = this->queue().oldest_waiting();
  ASSERT_TRUE(oldest.ok());
  EXPECT_EQ(*oldest, tasks::OldestWaiting{});
}

TYPED_TEST(TaskQueueContract, ABlockedLeaseIsWokenByCreate) {
  auto waiter = std::async(std::launch::async, [this] {
    auto leased = this->queue().lease("worker-1", 10s);
    return std::make_pair(std::move(leased), Clock::now());
  });
  std::this_thread::sleep_for(200ms);
  const auto created_at = Clock::now();
  const core::TaskRecord task = this->create();
  auto [leased, returned_at] = waiter.get();
  ASSERT_TRUE(leased.ok()) << leased.error().log_message();
  ASSERT_TRUE(leased->has_value());
  EXPECT_EQ((*leased)->task_id, task.id);
  EXPECT_LT(returned_at - created_at, 1s);
}

TYPED_TEST(TaskQueueContract, InterruptWakesEveryBlockedLease) {
  std::vector<std::future<Clock::time_point>> waiters;
  waiters.reserve(3);
  for (int i = 0; i < 3; ++i) {
    waiters.push_back(std::async(std::launch::async, [this, i] {
      auto leased = this->queue().lease("worker-" + std::to_string(i), 30s);
      EXPECT_TRUE(leased.ok());
      EXPECT_FALSE(leased.ok() && leased->has_value());
      return Clock::now();
    }));
  }
  std::this_thread::sleep_for(200ms);
  const auto interrupted_at = Clock::now();
  this->queue().interrupt();
  for (auto& waiter : waiters) EXPECT_LT(waiter.get() - interrupted_at, 1s);
}

TYPED_TEST(TaskQueueContract, ConcurrentConsumersLeaseEachTaskExactlyOnce) {
  constexpr int kTasks = 200;
  constexpr int kConsumers = 4;
  std::set<core::TaskId> created;
  for (int i = 0; i < kTasks; ++i) {
    created.insert(this->create(static_cast<core::Priority>(i % 3)).id);
  }
  std::mutex mutex;
  std::vector<core::TaskId> leased;
  std::atomic<int> errors{0};
  std::vector<std::thread> consumers;
  consumers.reserve(kConsumers);
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&, c] {
      while (true) {
        auto lease = this->queue().lease("worker-" + std::to_string(c), 0ms);
        if (!lease.ok()) ++errors;
        if (!lease.ok() || !lease->has_value()) return;
        if (!this->queue().ack(**lease).ok()) ++errors;
        std::lock_guard lock(mutex);
        leased.push_back((*lease)->task_id);
      }
    });
  }
  for (auto& consumer : consumers) consumer.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(leased.size(), created.size());
  EXPECT_EQ(std::set<core::TaskId>(leased.begin(), leased.end()), created);
  EXPECT_EQ(this->depth_total(), 0u);
}

}  // namespace
}  // namespace image_resize::contract
