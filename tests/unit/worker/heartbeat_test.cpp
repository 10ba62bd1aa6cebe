// The heartbeat on the real SQLite registry: it beats at once and then every interval, and a
// clean stop forgets the worker.
#include "worker/heartbeat.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/temp_dir.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_worker_registry.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;

class HeartbeatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = tasks::SqliteDatabase::open({.path = dir_.path() / "tasks.db"});
    ASSERT_TRUE(database.ok()) << database.error().log_message();
    registry_ = std::make_unique<tasks::SqliteWorkerRegistry>(*database);
  }

  std::vector<core::WorkerStatus> listed() {
    auto workers = registry_->list();
    EXPECT_TRUE(workers.ok());
    return workers.ok() ? *workers : std::vector<core::WorkerStatus>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<tasks::SqliteWorkerRegistry> registry_;
};

TEST_F(HeartbeatTest, BeatsAtOnceThenEveryIntervalAndLeavesOnStop) {
  std::atomic<int> beats{0};
  Heartbeat heartbeat(
      *registry_,
      [&] {
        return core::WorkerStatus{.name = "host-42",
                                  .threads = 2,
                                  .busy = ++beats,
                                  .started_at = core::now(),
                                  .last_seen = core::now(),
                                  .recent = {}};
      },
      50ms);
  heartbeat.start();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (beats.load() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(beats.load(), 4);
  const auto workers = listed();
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers[0].name, "host-42");
  EXPECT_GE(workers[0].busy, 3);  // a later beat replaced the first

  heartbeat.stop();
  EXPECT_TRUE(listed().empty());
}

}  // namespace
}  // namespace image_resize::worker
