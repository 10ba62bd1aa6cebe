// LeaseKeeper on the real SQLite queue, with a short lease: a held lease outlives its duration
// while renewed, and one taken by another consumer is reported lost (and counted).
#include "worker/lease_keeper.h"

#include <thread>

#include "worker_fixture.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;

class LeaseKeeperTest : public WorkerFixture {
 protected:
  LeaseKeeperTest() { lease_ = 300ms; }

  tasks::Lease lease_one(const std::string& consumer) {
    auto leased = queue_->lease(consumer, 0ms);
    EXPECT_TRUE(leased.ok() && leased->has_value());
    if (!leased.ok() || !leased->has_value()) {
      return tasks::Lease{.task_id = core::TaskId::generate(), .token = "none"};
    }
    return **leased;
  }
  double lost_renewals() {
    return metrics_.counter("image_resize_lease_renewals_failed_total", "", {{"reason", "lost"}})
        .value();
  }
};

TEST_F(LeaseKeeperTest, AHeldLeaseOutlivesItsDurationWhileTheKeeperRenewsIt) {
  submit("input", core::ResizeSpec{});
  LeaseKeeper keeper(*queue_, metrics_);
  keeper.start();
  const tasks::Lease lease = lease_one("box-0");
  keeper.hold(lease);
  std::this_thread::sleep_for(1s);  // more than three lease durations
  EXPECT_TRUE(keeper.still_held(lease));
  auto other = queue_->lease("box-1", 0ms);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value()) << "handed out while renewed";
  keeper.drop(lease);
  EXPECT_FALSE(keeper.still_held(lease));
  keeper.stop();
  EXPECT_EQ(lost_renewals(), 0.0);
}

TEST_F(LeaseKeeperTest, ALeaseTakenByAnotherConsumerIsLostAndCounted) {
  submit("input", core::ResizeSpec{});
  LeaseKeeper keeper(*queue_, metrics_);
  const tasks::Lease lease = lease_one("paused-0");
  keeper.hold(lease);  // not renewed: the keeper is not started, as in a paused process
  std::this_thread::sleep_for(lease_ + 50ms);
  EXPECT_FALSE(keeper.still_held(lease)) << "unrenewed for a whole lease";
  const tasks::Lease taken = lease_one("other-0");
  EXPECT_EQ(taken.reclaimed, tasks::Reclaim::lease_expired);
  keeper.start();  // the first renewal runs at once and finds the lease taken
  std::this_thread::sleep_for(lease_ / 2);
  keeper.stop();
  EXPECT_FALSE(keeper.still_held(lease));
  EXPECT_EQ(lost_renewals(), 1.0);
}

TEST_F(LeaseKeeperTest, TakeAllReturnsTheHeldLeasesAsLost) {
  submit("a", core::ResizeSpec{});
  submit("b", core::ResizeSpec{});
  LeaseKeeper keeper(*queue_, metrics_);
  const tasks::Lease first = lease_one("box-0");
  const tasks::Lease second = lease_one("box-1");
  keeper.hold(first);
  keeper.hold(second);
  EXPECT_EQ(keeper.take_all().size(), 2u);
  EXPECT_FALSE(keeper.still_held(first));
  EXPECT_FALSE(keeper.still_held(second));
}

}  // namespace
}  // namespace image_resize::worker
