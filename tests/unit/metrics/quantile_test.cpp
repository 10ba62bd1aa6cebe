#include "metrics/quantile.h"

#include <gtest/gtest.h>

#include <vector>

namespace image_resize::metrics {
namespace {

const std::vector<double> kBounds{0.1, 0.2, 0.4};

TEST(BucketQuantile, NothingObservedHasNoQuantile) {
  EXPECT_EQ(bucket_quantile(0.5, kBounds, std::vector<std::uint64_t>{0, 0, 0, 0}), std::nullopt);
  EXPECT_EQ(bucket_quantile(0.5, kBounds, std::vector<std::uint64_t>{}), std::nullopt);
}

TEST(BucketQuantile, InterpolatesInsideTheBucketThatHoldsTheRank) {
  // 10 in (0, 0.1], 10 in (0.1, 0.2]: the median is the top of the first bucket, p75 halfway
  // through the second.
  const std::vector<std::uint64_t> counts{10, 10, 0, 0};
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.5, kBounds, counts), 0.1);
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.75, kBounds, counts), 0.15);
  EXPECT_DOUBLE_EQ(*bucket_quantile(1.0, kBounds, counts), 0.2);
}

TEST(BucketQuantile, SkipsEmptyBuckets) {
  const std::vector<std::uint64_t> counts{0, 0, 4, 0};
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.5, kBounds, counts), 0.3);
}

TEST(BucketQuantile, ARankAboveTheLastBoundAnswersTheLastBound) {
  const std::vector<std::uint64_t> counts{1, 0, 0, 99};
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.99, kBounds, counts), 0.4);
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.005, kBounds, counts), 0.05);
}

}  // namespace
}  // namespace image_resize::metrics
