#include "worker/recent_activity.h"

#include <gtest/gtest.h>

#include <numeric>

#include "metrics/quantile.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kStart = core::from_unix_ms(1'800'000'000'000);

std::uint64_t total(const core::ActivityWindow& window) {
  return std::accumulate(window.processing_buckets.begin(), window.processing_buckets.end(),
                         std::uint64_t{0});
}

TEST(RecentActivity, AnEmptyWindowHasNoBuckets) {
  RecentActivity activity(60);
  const auto window = activity.snapshot(kStart);
  EXPECT_EQ(window.seconds, 60);
  EXPECT_EQ(window.succeeded, 0u);
  EXPECT_EQ(window.failed, 0u);
  EXPECT_TRUE(window.processing_buckets.empty());
}

TEST(RecentActivity, CountsOutcomesAndBucketsTheirTimes) {
  RecentActivity activity(60);
  for (int i = 0; i < 9; ++i) activity.record(true, 0.120, kStart + std::chrono::seconds(i));
  activity.record(false, 2.0, kStart + 10s);
  const auto window = activity.snapshot(kStart + 10s);
  EXPECT_EQ(window.succeeded, 9u);
  EXPECT_EQ(window.failed, 1u);
  ASSERT_EQ(window.processing_buckets.size(), core::activity_bucket_bounds().size() + 1);
  EXPECT_EQ(total(window), 10u);
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
  EXPECT_EQ(total(window), 1u);
}

TEST(RecentActivity, TimesBeyondTheLastBoundLandInTheOverflowBucket) {
  RecentActivity activity(60);
  activity.record(true, 1e6, kStart);
  const auto window = activity.snapshot(kStart);
  EXPECT_EQ(window.processing_buckets.back(), 1u);
}

}  // namespace
}  // namespace image_resize::worker
