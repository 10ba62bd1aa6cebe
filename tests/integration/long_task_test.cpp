// Tasks longer than the lease, every lease and heartbeat flag at its default: a marker makes the
// fault-injecting build's resize take 40 s (tests/fault_hooks/), past the default 30 s lease
// (--task-timeout is raised to 60 s so the deadline does not end it first). A worker alive and
// renewing keeps its task; a worker paused past the lease loses it to another, and its late
// result is dropped.
#include <csignal>
#include <iostream>
#include <thread>

#include "fault_hooks/fault_markers.h"
#include "integration/redis_topology.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kSlowTaskFlags{"--task-timeout", "60s"};

std::string submit_slow_task(HttpClient& http) {
  const HttpResponse accepted =
      submit(http, jpeg_with_comment(testing::kFaultSlowMarker), {{"width", "64"}});
  EXPECT_EQ(accepted.status, 202) << accepted;
  return accepted.status == 202 ? task_id_of(accepted) : "";
}

std::size_t lines_with(const std::string& log, std::string_view message, const std::string& id) {
  return task_ids_logged(log, message).count(id);
}

TEST(LongTask, ALeaseRenewedByALiveWorkerIsNotHandedOutTwice) {
  RedisTopology topology(2, kSlowTaskFlags, nullptr, IMAGE_RESIZE_FAULT_HOOKS_BINARY);
  ASSERT_TRUE(topology.started());
  HttpClient http(topology.api->port(), 40s);
  const std::string id = submit_slow_task(http);
  ASSERT_FALSE(id.empty());

  const nlohmann::json status = wait_for_task(http, id, 90);
  EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(status.value("attempts", 0), 1) << status.dump();
  std::size_t started = 0;
  for (const auto& worker : topology.workers) {
    started += lines_with(worker->log(), "task started", id);
    EXPECT_EQ(worker->count_in_log("task reclaimed"), 0u) << worker->log_tail();
  }
  EXPECT_EQ(started, 1u);
  topology.expect_clean_exit();
}

TEST(LongTask, AWorkerPausedPastItsLeaseLosesTheTaskAndItsLateResultIsDropped) {
  RedisTopology topology(1, kSlowTaskFlags, nullptr, IMAGE_RESIZE_FAULT_HOOKS_BINARY);
  ASSERT_TRUE(topology.started());
  ServerProcess& paused = *topology.workers[0];
  HttpClient http(topology.api->port(), 40s);
  const std::string id = submit_slow_task(http);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(paused.wait_for_log("task started", 20s)) << paused.log_tail();

  ASSERT_EQ(::kill(paused.pid(), SIGSTOP), 0);
  ServerProcess* other = topology.add_worker();
  ASSERT_NE(other, nullptr);
  std::this_thread::sleep_for(35s);  // past the 30 s lease
  ASSERT_EQ(::kill(paused.pid(), SIGCONT), 0);

  const nlohmann::json done = wait_for_task(http, id, 90);
  EXPECT_EQ(done.value("status", ""), "SUCCESS") << done.dump();
  EXPECT_EQ(done["result"].value("width", 0), 64) << done.dump();
  EXPECT_EQ(done.value("attempts", 0), 2) << done.dump();
  EXPECT_EQ(lines_with(other->log(), "task succeeded", id), 1u) << other->log_tail();
  EXPECT_EQ(lines_with(other->log(), "reason=worker_dead", id), 1u) << other->log_tail();
  // The paused worker's resize ends ~40 s after it began; then it finds the lease gone.
  EXPECT_TRUE(paused.wait_for_log("result dropped", 30s)) << paused.log_tail();
  EXPECT_EQ(lines_with(paused.log(), "task succeeded", id), 0u) << paused.log_tail();
  const HttpResponse after = http.get(std::string(kStatusPath) + id);
  EXPECT_EQ(after.json().value("finished_at", ""), done.value("finished_at", ""));
  const HttpResponse result = http.get(std::string(kResultPath) + id);
  ASSERT_EQ(result.status, 200);
  const auto image = inspect_image(result.body);
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->width, 64);
  EXPECT_TRUE(paused.running()) << paused.log_tail();
  topology.expect_clean_exit();
}

}  // namespace
}  // namespace image_resize::integration
