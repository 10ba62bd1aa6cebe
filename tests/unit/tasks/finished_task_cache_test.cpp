// FinishedTaskCache over a real SqliteTaskStore: finished tasks are answered from memory (a row
// changed behind its back is not seen), unfinished ones always from the store, and every change
// made through it is seen at once. The TaskStore contract runs through it too (the SQLite
// backend in tests/contract is wired as serve wires it).

#include "tasks/finished_task_cache.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "tasks/sqlite/sqlite_webhook_outbox.h"
#include "unit/tasks/sqlite/sqlite_test_support.h"

namespace image_resize::tasks {
namespace {

class FinishedTaskCacheTest : public SqliteFileTest {
 protected:
  // A task created and finished SUCCESS (120x80 png) through `tasks`.
  static core::TaskRecord finished_task(TaskStore& tasks) {
    core::TaskRecord task = pending_task();
    EXPECT_TRUE(tasks.create(task).ok());
    EXPECT_TRUE(tasks
                    .mark_succeeded(task.id,
                                    core::TaskOutput{.width = 120,
                                                     .height = 80,
                                                     .format = core::ImageFormat::png,
                                                     .bytes = 999,
                                                     .etag = "\"e1\""},
                                    core::now())
                    .ok());
    return task;
  }
  // What the cache answers for `id`: its state, or "none".
  static std::string state_of(TaskStore& tasks, const core::TaskId& id) {
    auto read = tasks.get(id);
    EXPECT_TRUE(read.ok());
    if (!read.ok() || !read.value()) return "none";
    return std::string(core::to_string(read.value()->state));
  }
  // Changes the row with another connection, as nothing in serve does.
  void set_state_behind_its_back(const core::TaskId& id, const std::string& state) {
    raw_sql(db_path(), "UPDATE tasks SET state = '" + state + "' WHERE id = '" + id.str() + "'");
  }
};

TEST_F(FinishedTaskCacheTest, AFinishedTaskIsAnsweredFromMemoryAfterItsFirstRead) {
  FinishedTaskCache cache(store(), 16);
  const core::TaskRecord task = finished_task(cache);
  EXPECT_EQ(cache.size(), 0U);
  EXPECT_EQ(state_of(cache, task.id), "SUCCESS");
  EXPECT_EQ(cache.size(), 1U);
  set_state_behind_its_back(task.id, "FAILURE");
  EXPECT_EQ(state_of(cache, task.id), "SUCCESS") << "read from memory, not from the file";
  EXPECT_EQ(state_of(store(), task.id), "FAILURE");
}

TEST_F(FinishedTaskCacheTest, AnUnfinishedTaskIsAlwaysReadFromTheStore) {
  FinishedTaskCache cache(store(), 16);
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(cache.create(task).ok());
  EXPECT_EQ(state_of(cache, task.id), "PENDING");
  ASSERT_TRUE(cache.mark_started(task.id, 1, core::now()).ok());
  EXPECT_EQ(state_of(cache, task.id), "STARTED");
  set_state_behind_its_back(task.id, "PENDING");
  EXPECT_EQ(state_of(cache, task.id), "PENDING");
  EXPECT_EQ(cache.size(), 0U);
}

TEST_F(FinishedTaskCacheTest, AFinishedTaskIsReadFromTheStoreUntilItsWebhookIsSettled) {
  FinishedTaskCache cache(store(), 16);
  SqliteWebhookOutbox outbox(database());
  core::TaskRecord task = pending_task();
  task.callback_url = "https://hooks.example/done";
  ASSERT_TRUE(cache.create(task).ok());
  ASSERT_TRUE(
      cache.mark_failed(task.id, {core::ErrorCode::decode_failed, "bad"}, core::now()).ok());
  EXPECT_EQ(state_of(cache, task.id), "FAILURE");
  EXPECT_EQ(cache.size(), 0U) << "the outbox still writes to it";

  const core::WebhookDelivery delivered{core::WebhookState::delivered, 1, 204};
  ASSERT_TRUE(outbox.settle(task.id, delivered).ok());
  auto read = cache.get(task.id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->webhook, delivered);
  EXPECT_EQ(cache.size(), 1U);
}

TEST_F(FinishedTaskCacheTest, ChangesMadeThroughItAreSeenAtOnce) {
  FinishedTaskCache cache(store(), 16);
  const core::TaskRecord task = finished_task(cache);
  ASSERT_EQ(state_of(cache, task.id), "SUCCESS");  // now cached
  ASSERT_TRUE(cache.mark_failed(task.id, {core::ErrorCode::timeout, "late"}, core::now()).ok());
  EXPECT_EQ(state_of(cache, task.id), "FAILURE");
  ASSERT_TRUE(cache
                  .mark_succeeded(task.id,
                                  core::TaskOutput{.width = 1,
                                                   .height = 1,
                                                   .format = core::ImageFormat::png,
                                                   .bytes = 1,
                                                   .etag = "\"e2\""},
                                  core::now())
                  .ok());
  EXPECT_EQ(state_of(cache, task.id), "SUCCESS");
  auto removed = cache.remove(task.id);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_EQ(state_of(cache, task.id), "none");
  EXPECT_EQ(cache.size(), 0U);
}

TEST_F(FinishedTaskCacheTest, ExpiredTasksRemovedThroughItAreForgotten) {
  FinishedTaskCache cache(store(), 16);
  core::TaskRecord task = pending_task(core::Priority::normal, core::now() - std::chrono::hours(1));
  ASSERT_TRUE(cache.create(task).ok());
  ASSERT_TRUE(cache.mark_failed(task.id, {core::ErrorCode::timeout, "x"}, core::now()).ok());
  ASSERT_EQ(state_of(cache, task.id), "FAILURE");
  ASSERT_EQ(cache.size(), 1U);
  auto swept = cache.remove_expired(core::now(), 10);
  ASSERT_TRUE(swept.ok());
  ASSERT_EQ(swept->size(), 1U);
  EXPECT_EQ(state_of(cache, task.id), "none");
}

TEST_F(FinishedTaskCacheTest, HoldsAtMostItsCapacityDroppingTheLeastRecentlyRead) {
  FinishedTaskCache cache(store(), 3);
  std::vector<core::TaskRecord> tasks;
  for (int i = 0; i < 4; ++i) tasks.push_back(finished_task(cache));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(state_of(cache, tasks[i].id), "SUCCESS");
  ASSERT_EQ(state_of(cache, tasks[0].id), "SUCCESS");  // 0 is now the most recent, 1 the least
  ASSERT_EQ(state_of(cache, tasks[3].id), "SUCCESS");  // 1 is dropped
  EXPECT_EQ(cache.size(), 3U);
  for (const auto& task : tasks) set_state_behind_its_back(task.id, "FAILURE");
  EXPECT_EQ(state_of(cache, tasks[0].id), "SUCCESS");
  EXPECT_EQ(state_of(cache, tasks[2].id), "SUCCESS");
  EXPECT_EQ(state_of(cache, tasks[3].id), "SUCCESS");
  // Last: reading it from the file caches it again, which drops another.
  EXPECT_EQ(state_of(cache, tasks[1].id), "FAILURE") << "dropped, so read from the file";
}

// A reader racing a writer never keeps the state from before the write.
TEST_F(FinishedTaskCacheTest, AReadRacingAFinishNeverCachesTheOldState) {
  FinishedTaskCache cache(store(), 64);
  for (int round = 0; round < 20; ++round) {
    const core::TaskRecord task = finished_task(cache);
    auto reader = std::async(std::launch::async, [&] {
      for (int i = 0; i < 50; ++i) (void)cache.get(task.id);
    });
    ASSERT_TRUE(cache.mark_failed(task.id, {core::ErrorCode::timeout, "x"}, core::now()).ok());
    reader.get();
    EXPECT_EQ(state_of(cache, task.id), "FAILURE") << "round " << round;
  }
}

}  // namespace
}  // namespace image_resize::tasks
