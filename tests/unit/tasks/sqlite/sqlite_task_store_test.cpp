// What only the SQLite TaskStore promises beyond the contract suite (tests/contract): the file
// keeps everything across a reopen, create() is one transaction, and a row it cannot read is an
// error rather than a wrong task.

#include <gtest/gtest.h>

#include "unit/tasks/sqlite/sqlite_test_support.h"

namespace image_resize::tasks {
namespace {

using SqliteTaskStoreTest = SqliteFileTest;

TEST_F(SqliteTaskStoreTest, TasksStatesAndLeasesSurviveReopeningTheFile) {
  core::TaskRecord done = pending_task(core::Priority::high);
  core::TaskRecord leased = pending_task(core::Priority::normal);
  core::TaskRecord waiting = pending_task(core::Priority::low);
  for (const auto* task : {&done, &leased, &waiting}) ASSERT_TRUE(store().create(*task).ok());
  auto first = queue().lease("w", 0ms);
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_TRUE(store().mark_started(done.id, 1, core::now()).ok());
  const core::TaskOutput output{
      .width = 10, .height = 20, .format = core::ImageFormat::avif, .bytes = 1234, .etag = "\"a\""};
  ASSERT_TRUE(store().mark_succeeded(done.id, output, core::now()).ok());
  ASSERT_TRUE(queue().ack(**first).ok());
  auto second = queue().lease("w", 0ms);
  ASSERT_TRUE(second.ok() && second->has_value());
  ASSERT_EQ((*second)->task_id, leased.id);

  close();
  auto reopened = SqliteHandles::open(db_path());
  ASSERT_TRUE(reopened.ok());
  auto found = reopened.store->get(done.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->state, core::TaskState::success);
  EXPECT_EQ((*found)->output, output);
  auto depth = reopened.queue->depth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->by_priority, (std::array<std::uint64_t, 3>{0, 1, 1}));
  // The lease is in the file too: only the waiting task is free.
  auto next = reopened.queue->lease("w2", 0ms);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->task_id, waiting.id);
  // And the old lease can still be acked by its holder.
  EXPECT_TRUE(reopened.queue->ack(**second).ok());
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM queue"), "1");
}

TEST_F(SqliteTaskStoreTest, CreateWritesTheTaskAndItsQueueEntryOrNeither) {
  raw_sql(db_path(),
          "CREATE TRIGGER refuse_queue BEFORE INSERT ON queue "
          "BEGIN SELECT RAISE(ABORT, 'queue refused'); END");
  const core::TaskRecord task = pending_task();
  auto created = store().create(task);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().internal_message.find("queue refused"), std::string::npos)
      << created.error().internal_message;
  auto found = store().get(task.id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(SqliteTaskStoreTest, CreatingAnExistingIdFailsAndKeepsTheOriginal) {
  core::TaskRecord task = pending_task();
  task.owner = "first";
  ASSERT_TRUE(store().create(task).ok());
  task.owner = "second";
  EXPECT_FALSE(store().create(task).ok());
  auto found = store().get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->owner, "first");
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM queue"), "1");
}

TEST_F(SqliteTaskStoreTest, ALaterOutcomeReplacesTheEarlierOneAndClearsItsFields) {
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(store().create(task).ok());
  ASSERT_TRUE(
      store()
          .mark_failed(task.id, {.code = core::ErrorCode::timeout, .message = "slow"}, core::now())
          .ok());
  const core::TaskOutput output{
      .width = 1, .height = 2, .format = core::ImageFormat::png, .bytes = 3, .etag = "\"b\""};
  ASSERT_TRUE(store().mark_succeeded(task.id, output, core::now()).ok());
  auto found = store().get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->state, core::TaskState::success);
  EXPECT_EQ((*found)->output, output);
  EXPECT_EQ((*found)->failure, std::nullopt);
}

struct CorruptColumn {
  std::string name;
  std::string column;
  std::string value;
};

class SqliteCorruptRowTest : public SqliteTaskStoreTest,
                             public ::testing::WithParamInterface<CorruptColumn> {};

TEST_P(SqliteCorruptRowTest, IsReportedAsAnInternalErrorNamingTheColumn) {
  core::TaskRecord task = pending_task();
  task.failure = core::TaskFailure{.code = core::ErrorCode::timeout, .message = "m"};
  task.output = core::TaskOutput{};
  task.spec.background = core::Rgba{};
  ASSERT_TRUE(store().create(task).ok());
  raw_sql(db_path(), "UPDATE tasks SET " + GetParam().column + " = '" + GetParam().value + "'");
  auto found = store().get(task.id);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, core::ErrorCode::internal);
  EXPECT_NE(found.error().internal_message.find(GetParam().column), std::string::npos)
      << found.error().internal_message;
}

INSTANTIATE_TEST_SUITE_P(UnknownNames, SqliteCorruptRowTest,
                         ::testing::Values(CorruptColumn{"State", "state", "DONE"},
                                           CorruptColumn{"Fit", "fit", "sideways"},
                                           CorruptColumn{"Format", "format", "bmp"},
                                           CorruptColumn{"Background", "background", "red"},
                                           CorruptColumn{"Priority", "priority", "urgent"},
                                           CorruptColumn{"InputFormat", "input_format", "bmp"},
                                           CorruptColumn{"OutputFormat", "output_format", "bmp"},
                                           CorruptColumn{"FailureCode", "failure_code", "oops"}),
                         [](const auto& test) { return test.param.name; });

}  // namespace
}  // namespace image_resize::tasks
