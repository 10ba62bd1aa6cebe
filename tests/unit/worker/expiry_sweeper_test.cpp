#include "worker/expiry_sweeper.h"

#include "support/task_records.h"
#include "worker_fixture.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;
using storage::BlobKind;

class ExpirySweeperTest : public WorkerFixture {};

TEST_F(ExpirySweeperTest, RemovesExpiredTasksAndTheirBlobsOnly) {
  const auto old_id = submit("input bytes", {}, core::now() - 1s);
  ASSERT_TRUE(blobs_->put(BlobKind::result, old_id, "result bytes").ok());
  const auto live_id = submit("input bytes", {}, core::now() + 1h);

  ExpirySweeper sweeper(*tasks_, *blobs_, 1h);
  EXPECT_EQ(sweeper.sweep_once(core::now()), 1u);

  EXPECT_FALSE(tasks_->get(old_id).value());
  EXPECT_FALSE(blobs_->get(BlobKind::input, old_id).value());
  EXPECT_FALSE(blobs_->get(BlobKind::result, old_id).value());
  EXPECT_TRUE(tasks_->get(live_id).value());
  EXPECT_TRUE(blobs_->get(BlobKind::input, live_id).value());
  EXPECT_EQ(queue_->depth()->total(), 1u);
}

TEST_F(ExpirySweeperTest, SweepsInBatchesUntilNothingIsLeft) {
  for (int i = 0; i < 600; ++i) submit("x", {}, core::now() - 1s);
  ExpirySweeper sweeper(*tasks_, *blobs_, 1h);
  EXPECT_EQ(sweeper.sweep_once(core::now()), 600u);
  EXPECT_EQ(queue_->depth()->total(), 0u);
}

TEST_F(ExpirySweeperTest, RemovesTheInputsOfAnExpiredBatchAndKeepsALiveBatchsInputs) {
  const auto stored_batch = [&](core::TimePoint expires_at) {
    testing::PendingBatch batch = testing::pending_batch(2, {{"thumb"}, {"large"}}, expires_at);
    for (const core::BatchFile& file : batch.record.files) {
      EXPECT_TRUE(blobs_->put(BlobKind::input, file.input_id, "input bytes").ok());
    }
    EXPECT_TRUE(tasks_->create_batch(batch.record, batch.tasks).ok());
    return batch;
  };
  const testing::PendingBatch expired = stored_batch(core::now() - 1s);
  const testing::PendingBatch live = stored_batch(core::now() + 1h);

  ExpirySweeper sweeper(*tasks_, *blobs_, 1h);
  EXPECT_EQ(sweeper.sweep_once(core::now()), expired.tasks.size());

  EXPECT_FALSE(tasks_->get_batch(expired.record.id).value());
  for (const core::BatchFile& file : expired.record.files) {
    EXPECT_FALSE(blobs_->get(BlobKind::input, file.input_id).value()) << file.name;
  }
  EXPECT_TRUE(tasks_->get_batch(live.record.id).value());
  for (const core::BatchFile& file : live.record.files) {
    EXPECT_TRUE(blobs_->get(BlobKind::input, file.input_id).value()) << file.name;
  }
  for (const core::TaskRecord& task : live.tasks) EXPECT_TRUE(tasks_->get(task.id).value());
}

TEST_F(ExpirySweeperTest, RunsPeriodicallyOnItsThread) {
  const auto id = submit("x", {}, core::now() + 200ms);
  ExpirySweeper sweeper(*tasks_, *blobs_, 100ms);
  sweeper.start();
  for (int i = 0; i < 50 && tasks_->get(id).value(); ++i) std::this_thread::sleep_for(50ms);
  sweeper.stop();
  EXPECT_FALSE(tasks_->get(id).value());
}

}  // namespace
}  // namespace image_resize::worker
