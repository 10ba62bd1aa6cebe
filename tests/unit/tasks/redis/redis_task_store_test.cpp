// RedisTaskStore's Redis layout: the task hash and its TTL, the expiry index that outlives the
// hash (so blobs are never leaked), and sweepers in several processes at once.

#include "tasks/redis/redis_task_store.h"

#include <future>
#include <set>

#include "redis_test_support.h"
#include "tasks/redis/redis_task_queue.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;

class RedisTaskStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started());
    client_ = open_client(config_for(server_));
    ASSERT_NE(client_, nullptr);
    store_ = std::make_unique<RedisTaskStore>(client_);
  }

  const RedisKeys& keys() { return client_->keys(); }
  RedisReply run(const std::vector<std::string>& args) { return redis_test::run(*client_, args); }
  std::int64_t integer(const std::vector<std::string>& args) {
    return run(args).as_integer().value_or(-999);
  }
  std::uint64_t depth() {
    auto depth = RedisTaskQueue(client_).depth();
    EXPECT_TRUE(depth.ok());
    return depth.ok() ? depth->total() : 0;
  }

  testing::RedisServer server_;
  std::shared_ptr<RedisClient> client_;
  std::unique_ptr<RedisTaskStore> store_;
};

TEST_F(RedisTaskStoreTest, CreateWritesTheHashTheExpiryIndexAndTheQueueEntry) {
  const core::TaskRecord task = pending_task(core::Priority::high);
  ASSERT_TRUE(store_->create(task).ok());

  const std::string key = keys().task(task.id);
  EXPECT_EQ(run({"HGET", key, "state"}).text, "PENDING");
  EXPECT_EQ(run({"HGET", key, "priority"}).text, "high");
  EXPECT_EQ(integer({"HEXISTS", key, "height"}), 0);  // unset optionals are absent fields
  EXPECT_EQ(integer({"HEXISTS", key, "batch_id"}), 0);
  EXPECT_EQ(integer({"HEXISTS", key, "input_id"}), 0);
  EXPECT_EQ(integer({"HEXISTS", key, "variant"}), 0);
  EXPECT_EQ(integer({"ZSCORE", keys().expiry(), task.id.str()}), core::to_unix_ms(task.expires_at));
  const RedisReply entries = run({"XRANGE", keys().queue(core::Priority::high), "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  EXPECT_EQ(entries.elements[0].elements[0].text, run({"HGET", key, "entry"}).text);
  EXPECT_EQ(entries.elements[0].elements[1].elements[1].text, task.id.str());
}

TEST_F(RedisTaskStoreTest, AHashWrittenBeforeGravityDprAndTheFlagsReadsTheirDefaults) {
  core::TaskRecord task = pending_task(core::Priority::normal);
  task.spec.gravity = core::Gravity::north;
  task.spec.dpr = 2;
  task.spec.progressive = true;
  task.spec.lossless = true;
  ASSERT_TRUE(store_->create(task).ok());
  const std::string key = keys().task(task.id);
  ASSERT_EQ(integer({"HDEL", key, "gravity", "dpr", "progressive", "lossless"}), 4);

  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  core::ResizeSpec asked = task.spec;
  asked.gravity = core::ResizeSpec{}.gravity;
  asked.dpr = core::ResizeSpec{}.dpr;
  asked.progressive = core::ResizeSpec{}.progressive;
  asked.lossless = core::ResizeSpec{}.lossless;
  EXPECT_EQ((*found)->spec, asked);
}

TEST_F(RedisTaskStoreTest, AHashWrittenBeforeStripCropAndAcceptsReadsTheirDefaults) {
  core::TaskRecord task = pending_task(core::Priority::normal);
  task.spec.strip = false;
  task.spec.crop = core::CropRect{1, 2, 3, 4};
  task.spec.accepts = {.avif = true};
  ASSERT_TRUE(store_->create(task).ok());
  ASSERT_EQ(integer({"HDEL", keys().task(task.id), "strip", "crop", "accepts"}), 3);

  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  core::ResizeSpec asked = task.spec;
  asked.strip = true;
  asked.crop.reset();
  asked.accepts = {};
  EXPECT_EQ((*found)->spec, asked);
}

TEST_F(RedisTaskStoreTest, ABatchTaskKeepsItsBatchInputAndVariantAsHashFields) {
  const testing::PendingBatch batch = testing::pending_batch(1, {{"thumb"}});
  ASSERT_TRUE(store_->create_batch(batch.record, batch.tasks).ok());
  const core::TaskRecord& task = batch.tasks[0];
  const std::string key = keys().task(task.id);
  EXPECT_EQ(run({"HGET", key, "batch_id"}).text, batch.record.id.str());
  EXPECT_EQ(run({"HGET", key, "input_id"}).text, batch.record.files[0].input_id.str());
  EXPECT_EQ(run({"HGET", key, "variant"}).text, "thumb");

  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->batch_id, task.batch_id);
  EXPECT_EQ((*found)->input_id, task.input_id);
  EXPECT_EQ((*found)->variant, "thumb");
}

TEST_F(RedisTaskStoreTest, AHashWrittenBeforeBatchesReadsAsATaskOfNoBatch) {
  const testing::PendingBatch batch = testing::pending_batch(1, {{"thumb"}});
  ASSERT_TRUE(store_->create_batch(batch.record, batch.tasks).ok());
  const core::TaskRecord& task = batch.tasks[0];
  ASSERT_EQ(integer({"HDEL", keys().task(task.id), "batch_id", "input_id", "variant"}), 3);

  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->batch_id, std::nullopt);
  EXPECT_EQ((*found)->input_id, std::nullopt);
  EXPECT_EQ((*found)->variant, "");
  core::TaskRecord asked = task;
  asked.batch_id.reset();
  asked.input_id.reset();
  asked.variant.clear();
  EXPECT_TRUE(**found == asked);
}

TEST_F(RedisTaskStoreTest, TheHashLivesUntilExpiryPlusTheGrace) {
  const core::TaskRecord task = pending_task(core::Priority::normal, core::now() + 10min);
  ASSERT_TRUE(store_->create(task).ok());
  const std::int64_t expected_ms =
      core::to_unix_ms(task.expires_at) + client_->config().hash_ttl_grace.count();
  EXPECT_NEAR(static_cast<double>(integer({"PEXPIRETIME", keys().task(task.id)})),
              static_cast<double>(expected_ms), 1.0);
}

TEST_F(RedisTaskStoreTest, AnAlreadyExpiredTaskStillGetsTheWholeGrace) {
  const core::TaskRecord task = pending_task(core::Priority::normal, core::now() - 1h);
  ASSERT_TRUE(store_->create(task).ok());
  const std::int64_t ttl = integer({"PTTL", keys().task(task.id)});
  const std::int64_t grace = client_->config().hash_ttl_grace.count();
  EXPECT_GT(ttl, grace - 5'000);
  EXPECT_LE(ttl, grace);
  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());  // until swept, as the port asks
}

TEST_F(RedisTaskStoreTest, TheSweeperFindsATaskWhoseHashRedisAlreadyExpired) {
  const core::TaskRecord task = pending_task(core::Priority::normal, core::now() - 1s);
  ASSERT_TRUE(store_->create(task).ok());
  run({"DEL", keys().task(task.id)});  // what the TTL does when no sweeper ran for the grace

  auto removed = store_->remove(task.id);
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);  // no task any more, but its id stays in the index for the sweeper
  auto swept = store_->remove_expired(core::now(), 10);
  ASSERT_TRUE(swept.ok()) << swept.error().log_message();
  EXPECT_EQ(*swept, (std::vector<ExpiredTask>{{task.id, task.id}}));  // so its blobs get removed
  EXPECT_EQ(integer({"ZCARD", keys().expiry()}), 0);
}

TEST_F(RedisTaskStoreTest, RemoveClearsEveryKeyOfTheTask) {
  const core::TaskRecord task = pending_task(core::Priority::low);
  ASSERT_TRUE(store_->create(task).ok());
  auto removed = store_->remove(task.id);
  ASSERT_TRUE(removed.ok() && *removed);
  EXPECT_EQ(integer({"EXISTS", keys().task(task.id)}), 0);
  EXPECT_EQ(integer({"ZCARD", keys().expiry()}), 0);
  EXPECT_EQ(integer({"XLEN", keys().queue(core::Priority::low)}), 0);
}

TEST_F(RedisTaskStoreTest, LateTransitionsDoNotRecreateARemovedHash) {
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(store_->create(task).ok());
  ASSERT_TRUE(store_->remove(task.id).ok());
  ASSERT_TRUE(store_->mark_started(task.id, 1, core::now()).ok());
  ASSERT_TRUE(store_->mark_succeeded(task.id, core::TaskOutput{}, core::now()).ok());
  ASSERT_TRUE(store_->mark_failed(task.id, core::TaskFailure{}, core::now()).ok());
  EXPECT_EQ(integer({"EXISTS", keys().task(task.id)}), 0);  // no TTL-less fragment left behind
}

TEST_F(RedisTaskStoreTest, SuccessAfterFailureClearsTheFailureFields) {
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(store_->create(task).ok());
  ASSERT_TRUE(store_->mark_failed(task.id, {.message = "first run"}, core::now()).ok());
  ASSERT_TRUE(
      store_->mark_succeeded(task.id, {.width = 5, .height = 6, .etag = "\"y\""}, core::now())
          .ok());
  EXPECT_EQ(integer({"HEXISTS", keys().task(task.id), "failure_message"}), 0);
  auto found = store_->get(task.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->failure, std::nullopt);
  EXPECT_EQ((*found)->output->width, 5);
}

TEST_F(RedisTaskStoreTest, CreatingAnExistingIdFailsAndAddsNoQueueEntry) {
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(store_->create(task).ok());
  EXPECT_FALSE(store_->create(task).ok());
  EXPECT_EQ(depth(), 1u);
}

TEST_F(RedisTaskStoreTest, AHashNoBuildWritesIsAnInternalError) {
  const core::TaskRecord task = pending_task();
  ASSERT_TRUE(store_->create(task).ok());
  run({"HSET", keys().task(task.id), "state", "EXPLODED"});
  auto found = store_->get(task.id);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, core::ErrorCode::internal);
  EXPECT_NE(found.error().internal_message.find("EXPLODED"), std::string::npos);
}

TEST_F(RedisTaskStoreTest, ConcurrentSweepersInSeveralProcessesReturnEachIdOnce) {
  std::set<core::TaskId> expired;
  for (int i = 0; i < 300; ++i) {
    const core::TaskRecord task =
        pending_task(static_cast<core::Priority>(i % 3), core::now() - std::chrono::seconds(i));
    ASSERT_TRUE(store_->create(task).ok());
    expired.insert(task.id);
  }
  // Two "processes" (clients with their own connections), two sweepers each.
  auto other_client = open_client(client_->config());
  RedisTaskStore other(other_client);
  std::vector<std::future<std::vector<core::TaskId>>> sweepers;
  for (TaskStore* store :
       {static_cast<TaskStore*>(store_.get()), static_cast<TaskStore*>(&other),
        static_cast<TaskStore*>(store_.get()), static_cast<TaskStore*>(&other)}) {
    sweepers.push_back(std::async(std::launch::async, [store] {
      std::vector<core::TaskId> mine;
      while (true) {
        auto batch = store->remove_expired(core::now(), 7);
        EXPECT_TRUE(batch.ok());
        if (!batch.ok() || batch->empty()) return mine;
        for (const ExpiredTask& swept : *batch) mine.push_back(swept.id);
      }
    }));
  }
  std::vector<core::TaskId> all;
  for (auto& sweeper : sweepers) {
    auto mine = sweeper.get();
    all.insert(all.end(), mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), expired.size());
  EXPECT_EQ(std::set<core::TaskId>(all.begin(), all.end()), expired);
  EXPECT_EQ(depth(), 0u);
}

}  // namespace
}  // namespace image_resize::tasks
