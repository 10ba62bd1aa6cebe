#include "worker/recent_activity.h"

#include <gtest/gtest.h>

#include <numeric>

#include "metrics/quantile.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kStart = core::from_unix_ms(1'800'000'000'000);

std::uint64_t total(const std::vector<std::uint64_t>& buckets) {
  return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

TEST(RecentActivity, AnEmptyWindowHasNoBuckets) {
  RecentActivity activity(60);
  const auto window = activity.snapshot(kStart);
  EXPECT_EQ(window.seconds, 60);
  EXPECT_EQ(window.succeeded, 0u);
  EXPECT_EQ(window.failed, 0u);
  EXPECT_TRUE(window.processing_buckets.empty());
  for (const auto& waiting : window.waiting_buckets) EXPECT_TRUE(waiting.empty());
}

TEST(RecentActivity, CountsOutcomesAndBucketsTheirTimes) {
  RecentActivity activity(60);
  for (int i = 0; i < 9; ++i) activity.record(true, 0.120, kStart + std::chrono::seconds(i));
  activity.record(false, 2.0, kStart + 10s);
  const auto window = activity.snapshot(kStart + 10s);
  EXPECT_EQ(window.succeeded, 9u);
  EXPECT_EQ(window.failed, 1u);
  ASSERT_EQ(window.processing_buckets.size(), core::activity_bucket_bounds().size() + 1);
  EXPECT_EQ(total(window.processing_buckets), 10u);
  // The median read back from the buckets is within a bucket's width (25%) of 120 ms.
  const auto median =
      metrics::bucket_quantile(0.5, core::activity_bucket_bounds(), window.processing_buckets);
  ASSERT_TRUE(median.has_value());
  EXPECT_NEAR(*median, 0.120, 0.030);
  const auto p99 =
      metrics::bucket_quantile(0.99, core::activity_bucket_bounds(), window.processing_buckets);
  EXPECT_NEAR(*p99, 2.0, 0.5);
}

TEST(RecentActivity, OutcomesOlderThanTheWindowDropOut) {
  RecentActivity activity(60);
  activity.record(true, 0.1, kStart);
  activity.record(true, 0.1, kStart + 30s);
  EXPECT_EQ(activity.snapshot(kStart + 59s).succeeded, 2u);
  EXPECT_EQ(activity.snapshot(kStart + 60s).succeeded, 1u);
  EXPECT_EQ(activity.snapshot(kStart + 90s).succeeded, 0u);
}

TEST(RecentActivity, AReusedSlotForgetsItsOldSecond) {
  RecentActivity activity(60);
  activity.record(false, 0.1, kStart);
  activity.record(true, 0.1, kStart + 60s);  // same slot, a minute later
  const auto window = activity.snapshot(kStart + 60s);
  EXPECT_EQ(window.succeeded, 1u);
  EXPECT_EQ(window.failed, 0u);
  EXPECT_EQ(total(window.processing_buckets), 1u);
}

TEST(RecentActivity, TimesBeyondTheLastBoundLandInTheOverflowBucket) {
  RecentActivity activity(60);
  activity.record(true, 1e6, kStart);
  const auto window = activity.snapshot(kStart);
  EXPECT_EQ(window.processing_buckets.back(), 1u);
}

TEST(RecentActivity, BucketsQueueWaitsByPriority) {
  RecentActivity activity(60);
  for (int i = 0; i < 4; ++i) {
    activity.record_start(core::Priority::high, kStart, kStart + 50ms);
  }
  activity.record_start(core::Priority::low, kStart, kStart + 20s);
  const auto window = activity.snapshot(kStart + 20s);
  const auto& high = window.waiting_buckets[static_cast<std::size_t>(core::Priority::high)];
  const auto& low = window.waiting_buckets[static_cast<std::size_t>(core::Priority::low)];
  EXPECT_EQ(total(high), 4u);
  EXPECT_EQ(total(low), 1u);
  EXPECT_TRUE(window.waiting_buckets[static_cast<std::size_t>(core::Priority::normal)].empty());
  const auto bounds = core::activity_bucket_bounds();
  EXPECT_NEAR(*metrics::bucket_quantile(0.5, bounds, high), 0.050, 0.0125);
  EXPECT_NEAR(*metrics::bucket_quantile(0.99, bounds, low), 20.0, 5.0);
  // Starting tasks finishes none: the outcome counts and processing times stay empty.
  EXPECT_EQ(window.succeeded + window.failed, 0u);
  EXPECT_TRUE(window.processing_buckets.empty());
}

TEST(RecentActivity, QueueWaitsOlderThanTheWindowDropOut) {
  RecentActivity activity(60);
  activity.record_start(core::Priority::normal, kStart - 5s, kStart);
  activity.record(true, 0.1, kStart + 30s);
  const auto normal = static_cast<std::size_t>(core::Priority::normal);
  EXPECT_EQ(total(activity.snapshot(kStart + 59s).waiting_buckets[normal]), 1u);
  EXPECT_TRUE(activity.snapshot(kStart + 60s).waiting_buckets[normal].empty());
}

TEST(RecentActivity, AStartBeforeItsUploadWaitedNothing) {
  RecentActivity activity(60);
  activity.record_start(core::Priority::high, kStart + 3s, kStart);  // another host's clock
  const auto window = activity.snapshot(kStart);
  const auto& high = window.waiting_buckets[static_cast<std::size_t>(core::Priority::high)];
  ASSERT_FALSE(high.empty());
  EXPECT_EQ(high.front(), 1u);
}

}  // namespace
}  // namespace image_resize::worker
