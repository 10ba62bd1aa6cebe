// GroupCommit: which commits a sync covers, how waiters share syncs, and that a failed sync is
// final. The sync function here is the test's own, so that a sync can be held open while other
// commits arrive; SqliteDatabase's tests cover the real fdatasync of the WAL.

#include "tasks/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

namespace image_resize::tasks {
namespace {

TEST(GroupCommitTest, AWaitRunsOneSyncAndATicketAlreadyCoveredRunsNone) {
  int calls = 0;
  GroupCommit commits([&]() -> core::Status {
    ++calls;
    return {};
  });
  const std::uint64_t first = commits.written();
  const std::uint64_t second = commits.written();
  EXPECT_LT(first, second);
  ASSERT_TRUE(commits.wait_durable(second).ok());
  EXPECT_EQ(calls, 1);
  // The sync for `second` started after `first` was written: it covered both.
  ASSERT_TRUE(commits.wait_durable(first).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(commits.syncs(), 1U);
}

TEST(GroupCommitTest, CommitsWrittenDuringASyncShareTheNextOne) {
  std::promise<void> sync_started;
  std::promise<void> release_sync;
  std::shared_future<void> released = release_sync.get_future().share();
  int calls = 0;  // only ever touched by the one thread running the sync
  GroupCommit commits([&]() -> core::Status {
    if (++calls == 1) {
      sync_started.set_value();
      released.wait();
    }
    return {};
  });

  const std::uint64_t leader_ticket = commits.written();
  auto leader = std::async(std::launch::async, [&] { return commits.wait_durable(leader_ticket); });
  sync_started.get_future().wait();

  // Written while the first sync runs: it may not cover them.
  std::vector<std::future<core::Status>> followers;
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t ticket = commits.written();
    followers.push_back(std::async(std::launch::async,
                                   [&commits, ticket] { return commits.wait_durable(ticket); }));
  }
  release_sync.set_value();

  EXPECT_TRUE(leader.get().ok());
  for (auto& follower : followers) EXPECT_TRUE(follower.get().ok());
  // One sync for the leader, one more shared by the three written during it.
  EXPECT_EQ(commits.syncs(), 2U);
}

TEST(GroupCommitTest, AFailedSyncFailsEveryLaterWaitButNotCommitsAlreadyDurable) {
  int calls = 0;
  bool fail = false;
  GroupCommit commits([&]() -> core::Status {
    ++calls;
    if (fail) return core::Error::make(core::ErrorCode::internal, "Internal error", "disk gone");
    return {};
  });
  const std::uint64_t durable = commits.written();
  ASSERT_TRUE(commits.wait_durable(durable).ok());

  fail = true;
  const std::uint64_t lost = commits.written();
  const core::Status first = commits.wait_durable(lost);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().internal_message, "disk gone");

  // Linux may report the next fsync as a success after dropping the unwritten pages: the
  // failure stands, without another sync.
  fail = false;
  const core::Status later = commits.wait_durable(commits.written());
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().internal_message, "disk gone");
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(commits.wait_durable(durable).ok()) << "on disk before the failure";
}

}  // namespace
}  // namespace image_resize::tasks
