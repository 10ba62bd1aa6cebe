#include "worker/expiry_sweeper.h"

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
