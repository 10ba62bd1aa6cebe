// The dashboard's history ring, with explicit sample times: order, wrap and cap; and a sample
// is what the dashboard would show at its time.

#include "http/dashboard_history.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kStart = core::from_unix_ms(1'800'000'000'000);

HistorySample sample_at(int tick) {
  return {.at = kStart + tick * DashboardHistory::kInterval,
          .tasks_per_second = static_cast<double>(tick),
          .queue = {.by_priority = {static_cast<std::uint64_t>(tick), 0, 0}},
          .processing_p99_seconds = std::nullopt};
}

std::vector<core::TimePoint> times(const std::vector<HistorySample>& samples) {
  std::vector<core::TimePoint> at;
  for (const HistorySample& sample : samples) at.push_back(sample.at);
  return at;
}

std::vector<core::TimePoint> times_of_ticks(int first, int last) {
  std::vector<core::TimePoint> at;
  for (int tick = first; tick <= last; ++tick) at.push_back(sample_at(tick).at);
  return at;
}

TEST(DashboardHistory, StartsEmpty) { EXPECT_TRUE(DashboardHistory().samples().empty()); }

TEST(DashboardHistory, KeepsSamplesOldestFirstUntilFull) {
  DashboardHistory history(4);
  for (int tick = 0; tick < 3; ++tick) history.add(sample_at(tick));
  EXPECT_EQ(times(history.samples()), times_of_ticks(0, 2));
  // Each sample whole, not only its time.
  EXPECT_EQ(history.samples()[1].tasks_per_second, 1.0);
  EXPECT_EQ(history.samples()[1].queue.by_priority[0], 1u);
}

TEST(DashboardHistory, WrapsDroppingTheOldestAndStaysInOrder) {
  DashboardHistory history(4);
  for (int tick = 0; tick < 6; ++tick) history.add(sample_at(tick));
  EXPECT_EQ(times(history.samples()), times_of_ticks(2, 5));
  // Many times round the ring: still the newest four, oldest first.
  for (int tick = 6; tick < 43; ++tick) history.add(sample_at(tick));
  EXPECT_EQ(times(history.samples()), times_of_ticks(39, 42));
}

TEST(DashboardHistory, HoldsFifteenMinutesAtMost) {
  DashboardHistory history;
  for (int tick = 0; tick < 200; ++tick) history.add(sample_at(tick));
  const auto samples = history.samples();
  ASSERT_EQ(samples.size(), 90u);
  EXPECT_EQ(samples.back().at - samples.front().at, 890s);
  EXPECT_EQ(samples.front().at, sample_at(110).at);
  EXPECT_EQ(samples.back().queue.by_priority[0], 199u);
}

TEST(DashboardHistory, ASampleIsTheMergedActivityOfTheAliveWorkers) {
  const core::TimePoint now = kStart;
  auto worker = [&](std::string name, core::TimePoint last_seen) {
    core::WorkerStatus status;
    status.name = std::move(name);
    status.last_seen = last_seen;
    status.recent.succeeded = 30;
    status.recent.processing_buckets.assign(core::activity_bucket_bounds().size() + 1, 0);
    status.recent.processing_buckets[20] = 30;
    return status;
  };
  const tasks::QueueDepth depth{.by_priority = {4, 5, 6}};
  const HistorySample sample =
      history_sample(depth, {worker("a", now - 1s), worker("gone", now - 1min)}, now, 7s);
  EXPECT_EQ(sample.at, now);
  EXPECT_DOUBLE_EQ(sample.tasks_per_second, 0.5);  // 30 tasks in 60 s; the gone worker's left out
  EXPECT_EQ(sample.queue.total(), 15u);
  ASSERT_TRUE(sample.processing_p99_seconds.has_value());
  EXPECT_GT(*sample.processing_p99_seconds, core::activity_bucket_bounds()[19]);
  EXPECT_LE(*sample.processing_p99_seconds, core::activity_bucket_bounds()[20]);

  const HistorySample idle = history_sample({}, {}, now, 7s);
  EXPECT_EQ(idle.tasks_per_second, 0.0);
  EXPECT_FALSE(idle.processing_p99_seconds.has_value());
}

}  // namespace
}  // namespace image_resize::http
