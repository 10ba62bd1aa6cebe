// Crash isolation (--isolate-imaging, on by default): a resize that kills its imaging process
// (the fault-injecting build's helper aborts on a marker input, as a libvips bug hit by a hostile
// file would) costs
// that task one attempt. The API and the other tasks carry on, the helper is replaced at once,
// and after --max-attempts crashes the task ends FAILURE worker_crashed. A helper stuck past
// the task deadline is killed and the task ends FAILURE timeout.
// These suites run image-resize-fault-hooks (tests/fault_hooks/); the last one checks that the
// real binary knows no marker.
#include <future>

#include "fault_hooks/fault_markers.h"
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class CrashIsolation : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({}, std::nullopt, IMAGE_RESIZE_FAULT_HOOKS_BINARY); }
};

TEST_F(CrashIsolation, ACrashingInputEndsWorkerCrashedAfterMaxAttemptsWhileOtherTasksSucceed) {
  const std::string crashing = jpeg_with_comment(testing::kFaultAbortMarker);
  const FinishedTask normal_before = run_task(client(), fixture("photo.jpg"), {{"width", "40"}});
  ASSERT_EQ(normal_before.status.value("status", ""), "SUCCESS") << normal_before.status.dump();

  const HttpResponse accepted = submit(client(), crashing, {{"width", "64"}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string crashing_id = task_id_of(accepted);
  // Other tasks, submitted while the crashing one is retried, from other connections.
  std::vector<std::future<FinishedTask>> others;
  for (int i = 0; i < 6; ++i) {
    others.push_back(std::async(std::launch::async, [&server = server(), i] {
      HttpClient other(server.port());
      return run_task(other, fixture(i % 2 ? "alpha.png" : "photo.jpg"),
                      {{"width", std::to_string(30 + i)}});
    }));
  }

  const nlohmann::json crashed = wait_for_task(client(), crashing_id);
  EXPECT_EQ(crashed.value("status", ""), "FAILURE") << crashed.dump();
  EXPECT_EQ(crashed["error"].value("code", ""), "worker_crashed") << crashed.dump();
  EXPECT_EQ(crashed.value("attempts", 0), 3) << crashed.dump();
  for (auto& other : others) {
    const FinishedTask task = other.get();
    EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  }
  EXPECT_TRUE(server().running()) << server().log_tail();
  EXPECT_TRUE(server_is_alive(client_port()));
  // The helper was replaced after each crash, and the next resize works.
  const FinishedTask after = run_task(client(), fixture("photo.jpg"), {{"width", "50"}});
  EXPECT_EQ(after.status.value("status", ""), "SUCCESS") << after.status.dump();
  EXPECT_EQ(server().count_in_log("reason=crashed"), 3u) << server().log_tail();
  EXPECT_EQ(server().count_in_log("task crashed its imaging process task_id=" + crashing_id), 3u)
      << server().log_tail();
  EXPECT_TRUE(
      server().wait_for_log("task given up task_id=" + crashing_id, std::chrono::seconds(5)));
  if (server().backend() == testing::Backend::sqlite) {
    const HttpResponse metrics = client().get("/metrics");
    EXPECT_NE(
        metrics.body.find("image_resize_imaging_process_restarts_total{reason=\"crashed\"} 3\n"),
        std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("image_resize_imaging_processes "), std::string::npos);
  }
}

class StuckImagingProcess : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--task-timeout", "1s"}, std::nullopt, IMAGE_RESIZE_FAULT_HOOKS_BINARY);
  }
};

TEST_F(StuckImagingProcess, IsKilledPastTheDeadlineAndTheTaskEndsTimeout) {
  const FinishedTask stuck =
      run_task(client(), jpeg_with_comment(testing::kFaultHangMarker), {{"width", "64"}});
  EXPECT_EQ(stuck.status.value("status", ""), "FAILURE") << stuck.status.dump();
  EXPECT_EQ(stuck.status["error"].value("code", ""), "timeout") << stuck.status.dump();
  EXPECT_EQ(stuck.status.value("attempts", 0), 1) << stuck.status.dump();
  EXPECT_TRUE(server().wait_for_log("reason=timeout", std::chrono::seconds(5)));
  const FinishedTask after = run_task(client(), fixture("photo.jpg"), {{"width", "50"}});
  EXPECT_EQ(after.status.value("status", ""), "SUCCESS") << after.status.dump();
}

class WithoutIsolation : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--isolate-imaging", "false"}); }
};

TEST_F(WithoutIsolation, ResizesInProcessWithNoHelpers) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "50"}});
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  if (server().backend() == testing::Backend::sqlite) {
    EXPECT_EQ(client().get("/metrics").body.find("image_resize_imaging_processes"),
              std::string::npos);
  }
}

// The binary a plain `cmake` build makes has no fault hooks: a marker is just bytes of a JPEG
// comment, resized like any other.
class RealBinary : public SharedServerTest {};

TEST_F(RealBinary, KnowsNoFaultMarker) {
  for (const std::string_view marker :
       {testing::kFaultAbortMarker, testing::kFaultHangMarker, testing::kFaultSlowMarker}) {
    const FinishedTask task = run_task(client(), jpeg_with_comment(marker), {{"width", "32"}});
    EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << marker << task.status.dump();
    EXPECT_EQ(task.status.value("attempts", 0), 1) << marker;
  }
  EXPECT_EQ(server().count_in_log("reason=crashed"), 0U) << server().log_tail();
  EXPECT_TRUE(server().running());
}

}  // namespace
}  // namespace image_resize::integration
