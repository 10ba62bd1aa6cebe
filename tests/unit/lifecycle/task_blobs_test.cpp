// lifecycle::release_input and remove_task over a real SQLite store and blob files: a result goes
// with its task, an input once the last task that reads it lets it go.

#include "lifecycle/task_blobs.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/file/fs_blob_store.h"
#include "support/task_records.h"
#include "support/temp_dir.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_task_store.h"

namespace image_resize::lifecycle {
namespace {

using storage::BlobKind;
using testing::pending_batch;
using testing::PendingBatch;

class TaskBlobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = tasks::SqliteDatabase::open({.path = dir_.path() / "tasks.db"});
    ASSERT_TRUE(database.ok()) << database.error().log_message();
    tasks_ = std::make_unique<tasks::SqliteTaskStore>(*database);
    auto blobs = storage::FsBlobStore::open(dir_.path() / "blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.error().log_message();
    blobs_ = std::move(blobs).value();
  }

  // A batch of one file in three variants, created with its input stored and a result for each
  // task, as the upload and then the workers leave them.
  PendingBatch stored_batch() {
    PendingBatch batch = pending_batch(1, {{"thumb"}, {"medium"}, {"large"}});
    EXPECT_TRUE(blobs_->put(BlobKind::input, batch.record.files[0].input_id, "input").ok());
    EXPECT_TRUE(tasks_->create_batch(batch.record, batch.tasks).ok());
    for (const core::TaskRecord& task : batch.tasks) {
      EXPECT_TRUE(blobs_->put(BlobKind::result, task.id, "result").ok());
    }
    return batch;
  }

  bool has_blob(BlobKind kind, const core::TaskId& id) {
    auto found = blobs_->get(kind, id);
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    return found.ok() && found->has_value();
  }

  testing::TempDir dir_;  // first: outlives the database and the blob files
  std::unique_ptr<tasks::SqliteTaskStore> tasks_;
  std::unique_ptr<storage::FsBlobStore> blobs_;
};

TEST_F(TaskBlobsTest, ASharedInputStaysUntilTheLastOfItsTasksReleasesIt) {
  const PendingBatch batch = stored_batch();
  const core::TaskId& input = batch.record.files[0].input_id;

  release_input(*tasks_, *blobs_, batch.tasks[0]);
  EXPECT_TRUE(has_blob(BlobKind::input, input));
  release_input(*tasks_, *blobs_, batch.tasks[0]);  // a redelivered task that ends again
  EXPECT_TRUE(has_blob(BlobKind::input, input));
  release_input(*tasks_, *blobs_, batch.tasks[1]);
  EXPECT_TRUE(has_blob(BlobKind::input, input));
  release_input(*tasks_, *blobs_, batch.tasks[2]);
  EXPECT_FALSE(has_blob(BlobKind::input, input));
  // Releasing an input leaves the results alone.
  for (const core::TaskRecord& task : batch.tasks) {
    EXPECT_TRUE(has_blob(BlobKind::result, task.id));
  }
}

TEST_F(TaskBlobsTest, ATaskWithAnInputOfItsOwnReleasesItAtOnce) {
  const core::TaskRecord task = testing::pending_task();
  ASSERT_TRUE(blobs_->put(BlobKind::input, task.id, "input").ok());
  ASSERT_TRUE(tasks_->create(task).ok());

  release_input(*tasks_, *blobs_, task);
  EXPECT_FALSE(has_blob(BlobKind::input, task.id));
}

TEST_F(TaskBlobsTest, RemoveTaskTakesItsRecordAndResultAndItsShareOfTheInput) {
  const PendingBatch batch = stored_batch();
  const core::TaskId& input = batch.record.files[0].input_id;

  auto removed = remove_task(*tasks_, *blobs_, batch.tasks[0]);
  ASSERT_TRUE(removed.ok()) << removed.error().log_message();
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(tasks_->get(batch.tasks[0].id).value().has_value());
  EXPECT_FALSE(has_blob(BlobKind::result, batch.tasks[0].id));
  EXPECT_TRUE(has_blob(BlobKind::result, batch.tasks[1].id));
  EXPECT_TRUE(has_blob(BlobKind::input, input)) << "two more tasks read it";

  auto again = remove_task(*tasks_, *blobs_, batch.tasks[0]);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);

  ASSERT_TRUE(remove_task(*tasks_, *blobs_, batch.tasks[1]).ok());
  EXPECT_TRUE(has_blob(BlobKind::input, input));
  ASSERT_TRUE(remove_task(*tasks_, *blobs_, batch.tasks[2]).ok());
  EXPECT_FALSE(has_blob(BlobKind::input, input));
}

TEST_F(TaskBlobsTest, RemoveBatchInputsRemovesTheInputOfEveryFile) {
  PendingBatch batch = pending_batch(2, {{"thumb"}});
  for (const core::BatchFile& file : batch.record.files) {
    ASSERT_TRUE(blobs_->put(BlobKind::input, file.input_id, "input").ok());
  }
  remove_batch_inputs(*blobs_, batch.record);
  for (const core::BatchFile& file : batch.record.files) {
    EXPECT_FALSE(has_blob(BlobKind::input, file.input_id));
  }
}

}  // namespace
}  // namespace image_resize::lifecycle
