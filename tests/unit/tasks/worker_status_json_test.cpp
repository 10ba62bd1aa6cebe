// The heartbeat JSON both registries store: every field round-trips, and a status written by an
// older build (without the operator fields or the queue waits) still reads.

#include "tasks/worker_status_json.h"

#include <gtest/gtest.h>

#include "core/resize_spec.h"

namespace image_resize::tasks {
namespace {

const core::TimePoint kNow = core::from_unix_ms(1'800'000'000'000);

core::WorkerStatus busy_worker() {
  core::WorkerStatus status{.name = "host-1",
                            .threads = 3,
                            .max_threads = 8,
                            .paused = true,
                            .busy = 2,
                            .started_at = kNow - std::chrono::hours(1),
                            .last_seen = kNow,
                            .recent = {}};
  const std::size_t buckets = core::activity_bucket_bounds().size() + 1;
  status.recent.succeeded = 5;
  status.recent.processing_buckets.assign(buckets, 0);
  status.recent.processing_buckets[10] = 5;
  auto& high = status.recent.waiting_buckets[static_cast<std::size_t>(core::Priority::high)];
  high.assign(buckets, 0);
  high[3] = 4;
  return status;
}

TEST(WorkerStatusJson, EveryFieldRoundTrips) {
  const core::WorkerStatus status = busy_worker();
  auto read = worker_status_from_json(worker_status_to_json(status));
  ASSERT_TRUE(read.ok()) << read.error().log_message();
  EXPECT_EQ(*read, status);
}

TEST(WorkerStatusJson, AnOlderBuildsHeartbeatReadsWithoutTheNewFields) {
  const std::string older =
      R"({"name":"old-1","threads":4,"busy":1,"started_at":1799999000000,)"
      R"("last_seen":1800000000000,"window_seconds":60,"succeeded":2,"failed":0,)"
      R"("processing_buckets":[2]})";
  auto read = worker_status_from_json(older);
  ASSERT_TRUE(read.ok()) << read.error().log_message();
  EXPECT_EQ(read->max_threads, 4);  // its threads: what it runs is what it may run
  EXPECT_FALSE(read->paused);
  for (const auto& waiting : read->recent.waiting_buckets) EXPECT_TRUE(waiting.empty());
  EXPECT_EQ(read->recent.succeeded, 2u);
}

TEST(WorkerStatusJson, TextNoBuildWritesIsRefused) {
  EXPECT_FALSE(worker_status_from_json("{}").ok());
  EXPECT_FALSE(worker_status_from_json("not json").ok());
}

}  // namespace
}  // namespace image_resize::tasks
