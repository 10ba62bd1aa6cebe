// --ttl: a task, its input and its result expire this long after the upload. docs/API.md: an
// expired task is a 404 on status and result, whether or not the sweeper has removed it yet; the
// sweeper then removes its files.
#include <chrono>
#include <filesystem>
#include <thread>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

// Files under `dir` named by the task id (the blob store names input and result files so).
std::size_t files_named_by(const std::filesystem::path& dir, const std::string& id) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().filename().string().find(id) != std::string::npos)
      ++count;
  }
  return count;
}

TEST(Expiry, AnExpiredTaskIsNotFoundEvenBeforeTheSweep) {
  // The sweeper runs hourly here: the 404 must come from the expiry time itself.
  auto server = start_server({"--ttl", "2s", "--sweep-interval", "1h"});
  ASSERT_TRUE(server->started());
  HttpClient client(server->port());
  const FinishedTask task = run_task(client, fixture("photo.jpg"), {{"width", "20"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  ASSERT_EQ(client.get(std::string(kResultPath) + task.id).status, 200);

  std::this_thread::sleep_for(2500ms);
  EXPECT_TRUE(is_json_error(client.get(std::string(kStatusPath) + task.id), 404, "task_not_found"));
  EXPECT_TRUE(is_json_error(client.get(std::string(kResultPath) + task.id), 404, "task_not_found"));
}

TEST(Expiry, TheSweeperRemovesExpiredResults) {
  auto server = start_server({"--ttl", "2s", "--sweep-interval", "200ms"});
  ASSERT_TRUE(server->started());
  HttpClient client(server->port());
  const FinishedTask task = run_task(client, fixture("photo.jpg"), {{"width", "20"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  ASSERT_GE(files_named_by(server->blob_dir(), task.id), 1U) << "no result file";

  EXPECT_TRUE(server->wait_for_log("expired tasks removed", 6s)) << server->log_tail();
  EXPECT_EQ(files_named_by(server->blob_dir(), task.id), 0U)
      << "the expired result is still on disk";
  EXPECT_EQ(client.get(std::string(kStatusPath) + task.id).status, 404);
}

}  // namespace
}  // namespace image_resize::integration
