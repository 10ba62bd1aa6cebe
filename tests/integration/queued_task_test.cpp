// Tasks that have not run yet, made deterministic with one worker kept busy by a large resize:
// the STARTED and PENDING status shapes, result_not_ready, ?wait on a queued task, and DELETE
// of a PENDING task cancelling it.
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using std::chrono::milliseconds;

// A 4000x4000 PNG takes the single worker well over a second; each blocker a new width, so that
// the upload does not reuse an earlier blocker's result.
Fields next_blocker() {
  static int uploads = 0;
  const std::string width = std::to_string(4000 + uploads++);
  return {{"width", width}, {"height", "4000"}, {"format", "png"}};
}

class QueuedTask : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--workers", "1"}); }

 protected:
  nlohmann::json status_of(const std::string& id) {
    const HttpResponse response = client_->get(std::string(kStatusPath) + id);
    EXPECT_EQ(response.status, 200) << response;
    return response.json();
  }

  // Submits the blocker and returns its id once the worker has started it.
  std::string start_blocker() {
    const std::string id = task_id_of(submit(*client_, fixture("photo.jpg"), next_blocker()));
    EXPECT_FALSE(id.empty());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!id.empty() && std::chrono::steady_clock::now() < deadline) {
      if (status_of(id).value("status", "") != "PENDING") break;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return id;
  }
};

TEST_F(QueuedTask, StartedAndPendingShapesAndResultNotReady) {
  const std::string blocker = start_blocker();
  const std::string queued = task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "33"}}));
  ASSERT_FALSE(queued.empty());

  const auto started = status_of(blocker);
  ASSERT_EQ(started.value("status", ""), "STARTED") << started.dump() << "\nblocker too fast?";
  EXPECT_TRUE(is_iso8601_millis_utc(started.value("started_at", ""))) << started.dump();
  EXPECT_EQ(started.value("attempts", 0), 1);
  EXPECT_FALSE(started.contains("result")) << started.dump();
  EXPECT_FALSE(started.contains("error")) << started.dump();

  const auto pending = status_of(queued);
  ASSERT_EQ(pending.value("status", ""), "PENDING") << pending.dump();
  EXPECT_EQ(pending.value("task_id", ""), queued);
  EXPECT_TRUE(is_iso8601_millis_utc(pending.value("created_at", ""))) << pending.dump();
  EXPECT_EQ(pending["request"].value("width", 0), 33);
  EXPECT_FALSE(pending.contains("result")) << pending.dump();
  EXPECT_FALSE(pending.contains("error")) << pending.dump();
  if (pending.contains("started_at")) {
    EXPECT_TRUE(pending["started_at"].is_null()) << pending.dump();
  }

  for (const auto& [id, state] : {std::pair{blocker, "STARTED"}, std::pair{queued, "PENDING"}}) {
    const HttpResponse result = client_->get(std::string(kResultPath) + id);
    EXPECT_TRUE(is_json_error(result, 404, "result_not_ready"));
    EXPECT_EQ(result.json().value("status", ""), state) << result;
  }

  // A wait on the queued task ends with it, not with the wait.
  const HttpResponse waited = client_->get(std::string(kStatusPath) + queued + "?wait=30");
  ASSERT_EQ(waited.status, 200) << waited;
  EXPECT_EQ(waited.json().value("status", ""), "SUCCESS") << waited;
  EXPECT_LT(waited.elapsed, milliseconds(25000));
  // Started first; it may be recorded after the queued task, which the worker resized while it
  // stored the blocker's large result.
  EXPECT_EQ(wait_for_task(*client_, blocker).value("status", ""), "SUCCESS");
}

TEST_F(QueuedTask, DeletingAPendingTaskCancelsIt) {
  const std::string blocker = start_blocker();
  const std::string cancelled =
      task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "34"}}));
  const std::string after = task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "35"}}));
  ASSERT_FALSE(cancelled.empty());
  ASSERT_EQ(status_of(cancelled).value("status", ""), "PENDING") << "blocker too fast?";

  const HttpResponse deleted = client_->del(std::string(kTasksPath) + cancelled);
  EXPECT_EQ(deleted.status, 204) << deleted;
  EXPECT_EQ(client_->get(std::string(kStatusPath) + cancelled).status, 404);

  // The task behind it still runs; the cancelled one never does.
  EXPECT_EQ(wait_for_task(*client_, after).value("status", ""), "SUCCESS");
  EXPECT_EQ(client_->get(std::string(kStatusPath) + cancelled).status, 404);
  EXPECT_EQ(server_->count_in_log("task succeeded task_id=" + cancelled), 0U)
      << server_->log_tail();
  EXPECT_EQ(server_->count_in_log("task failed task_id=" + cancelled), 0U) << server_->log_tail();
}

TEST_F(QueuedTask, DeletingAStartedTaskLeavesNothingBehind) {
  const std::string running = start_blocker();
  ASSERT_EQ(status_of(running).value("status", ""), "STARTED") << "blocker too fast?";
  const std::string next = task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "39"}}));
  EXPECT_EQ(client_->del(std::string(kTasksPath) + running).status, 204);

  EXPECT_EQ(wait_for_task(*client_, next).value("status", ""), "SUCCESS");
  EXPECT_TRUE(
      is_json_error(client_->get(std::string(kStatusPath) + running), 404, "task_not_found"));
  EXPECT_TRUE(
      is_json_error(client_->get(std::string(kResultPath) + running), 404, "task_not_found"));
  // Once the worker is past it, the deleted task has left no trace. The next task may end while
  // the worker still stores the deleted one's result (it resizes one task while it stores the
  // other): its outcome is logged after it removed a result nobody can reach.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server_->count_in_log("task succeeded task_id=" + running) +
                 server_->count_in_log("task failed task_id=" + running) ==
             0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const auto files_of_running = [&] {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(server_->blob_dir())) {
      if (entry.path().filename().string().find(running) != std::string::npos) ++files;
    }
    return files;
  };
  EXPECT_EQ(files_of_running(), 0U) << "a file of the deleted task is left in the data dir\n"
                                    << server_->log_tail();
}

TEST_F(QueuedTask, HighPriorityOvertakesQueuedLowerPriorities) {
  start_blocker();
  std::vector<std::string> low;
  for (int i = 0; i < 3; ++i) {
    low.push_back(
        task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "36"}, {"priority", "low"}})));
  }
  const std::string normal = task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "37"}}));
  const std::string high =
      task_id_of(submit(*client_, fixture("photo.jpg"), {{"width", "38"}, {"priority", "high"}}));
  ASSERT_EQ(status_of(high).value("status", ""), "PENDING") << "blocker too fast?";

  // One worker: the order of started_at is the order the queue handed the tasks out.
  const auto started_at = [&](const std::string& id) {
    const auto status = wait_for_task(*client_, id);
    EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
    return status.value("started_at", "");
  };
  const std::string high_started = started_at(high);
  const std::string normal_started = started_at(normal);
  EXPECT_LT(high_started, normal_started) << "high ran after normal";
  for (const std::string& id : low)
    EXPECT_LT(normal_started, started_at(id)) << "normal ran after low";
}

}  // namespace
}  // namespace image_resize::integration
