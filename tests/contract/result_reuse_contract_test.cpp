// The reuse half of the TaskStore contract (tasks/task_store.h): mark_succeeded of a task with a
// content key, find_result, tasks created reusing a result (alone and in a batch),
// release_result, and remove_expired of tasks that share a result, run against every backend in
// TaskBackends.

#include <string>
#include <vector>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using testing::pending_batch;
using testing::PendingBatch;

const core::TaskOutput kOutput{.width = 320,
                               .height = 200,
                               .format = core::ImageFormat::webp,
                               .bytes = 4242,
                               .blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
                               .dominant_colour = "#336699",
                               .etag = "\"00000000deadbeef\""};

// A content key as core::content_key makes them: 64 hex digits, fresh for each test.
std::string fresh_key() { return core::TaskId::generate().str() + core::TaskId::generate().str(); }

template <class Backend>
class ResultReuseContract : public TaskContractFixture<Backend> {
 protected:
  // A task with `key` that ran and succeeded (leased, finished, acked): the queue is empty again.
  core::TaskRecord succeeded(const std::string& key,
                             core::TimePoint expires_at = core::now() + 1h) {
    core::TaskRecord task = pending_task(core::Priority::normal, expires_at);
    task.content_key = key;
    EXPECT_TRUE(this->store().create(task).ok());
    const tasks::Lease lease = this->lease_now();
    EXPECT_EQ(lease.task_id, task.id);
    EXPECT_TRUE(this->store().mark_succeeded(task.id, kOutput, core::now()).ok());
    EXPECT_TRUE(this->queue().ack(lease).ok());
    return task;
  }

  // A new task reusing `result`, as the upload handlers make it.
  static core::TaskRecord reusing(const std::string& key, const core::TaskId& result,
                                  core::TimePoint expires_at = core::now() + 1h) {
    core::TaskRecord task = pending_task(core::Priority::normal, expires_at);
    task.content_key = key;
    task.state = core::TaskState::success;
    task.started_at = task.created_at;
    task.finished_at = task.created_at;
    task.output = kOutput;
    task.result_id = result;
    return task;
  }

  std::optional<tasks::ReusableResult> find(const std::string& key) {
    auto found = this->store().find_result(key);
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    return found.ok() ? *found : std::nullopt;
  }

  bool release(const core::TaskId& result, const core::TaskId& task) {
    auto unused = this->store().release_result(result, task);
    EXPECT_TRUE(unused.ok()) << unused.error().log_message();
    return unused.ok() && *unused;
  }

  std::vector<tasks::ExpiredTask> remove_expired(std::size_t limit) {
    auto removed = this->store().remove_expired(core::now(), limit);
    EXPECT_TRUE(removed.ok()) << removed.error().log_message();
    return removed.ok() ? *removed : std::vector<tasks::ExpiredTask>();
  }
};
TYPED_TEST_SUITE(ResultReuseContract, TaskBackends);

TYPED_TEST(ResultReuseContract, ASucceededTaskWithAContentKeyMakesItsResultReusable) {
  const core::TaskRecord first = this->succeeded(fresh_key());
  const std::string key = fresh_key();
  EXPECT_FALSE(this->find(key).has_value());
  core::TaskRecord pending = pending_task();
  pending.content_key = key;
  ASSERT_TRUE(this->store().create(pending).ok());
  EXPECT_FALSE(this->find(key).has_value()) << "not before it succeeded";

  ASSERT_TRUE(this->store().mark_succeeded(pending.id, kOutput, core::now()).ok());
  EXPECT_EQ(this->find(key), (tasks::ReusableResult{pending.id, kOutput}));
  EXPECT_EQ(this->get(pending.id)->content_key, key);
  EXPECT_EQ(this->find(first.content_key)->result_id, first.id);
}

TYPED_TEST(ResultReuseContract, AFailedTaskOrOneWithoutAKeyOffersNothing) {
  const std::string key = fresh_key();
  core::TaskRecord failed = pending_task();
  failed.content_key = key;
  ASSERT_TRUE(this->store().create(failed).ok());
  ASSERT_TRUE(this->store()
                  .mark_failed(failed.id, {core::ErrorCode::decode_failed, "x", 0}, core::now())
                  .ok());
  EXPECT_FALSE(this->find(key).has_value());
  const core::TaskRecord keyless = this->create();
  ASSERT_TRUE(this->store().mark_succeeded(keyless.id, kOutput, core::now()).ok());
  EXPECT_FALSE(this->find("").has_value());
}

TYPED_TEST(ResultReuseContract, TheFirstResultOfAKeyStaysTheReusableOne) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key);
  const core::TaskRecord second = this->succeeded(key);  // both ran before either was reused
  EXPECT_EQ(this->find(key)->result_id, first.id);
  // The second's result is its own, and goes with it alone.
  EXPECT_TRUE(this->release(second.id, second.id));
  EXPECT_EQ(this->find(key)->result_id, first.id);
}

TYPED_TEST(ResultReuseContract, ATaskReusingAResultIsRecordedSucceededAndNotQueued) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key);
  const core::TaskRecord reuse = this->reusing(key, first.id);

  ASSERT_TRUE(this->store().create(reuse).ok());
  auto found = this->get(reuse.id);
  ASSERT_TRUE(found.has_value());
  expect_same_record(*found, reuse);
  EXPECT_EQ(found->result_key(), first.id);
  EXPECT_EQ(this->depth_total(), 0u);
  EXPECT_TRUE(this->nothing_to_lease());
}

TYPED_TEST(ResultReuseContract, AResultIsReleasedByItsLastUserAndThenNoLongerReusable) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key);
  const core::TaskRecord reuse = this->reusing(key, first.id);
  ASSERT_TRUE(this->store().create(reuse).ok());

  EXPECT_FALSE(this->release(first.id, first.id)) << "the reusing task still reads it";
  EXPECT_FALSE(this->release(first.id, first.id)) << "a second release counts for nothing";
  EXPECT_TRUE(this->find(key).has_value());
  EXPECT_TRUE(this->release(first.id, reuse.id));
  EXPECT_FALSE(this->find(key).has_value());
  EXPECT_TRUE(this->release(first.id, reuse.id));
}

TYPED_TEST(ResultReuseContract, ReusingAResultThatIsGoneFailsWithResultGoneAndRecordsNothing) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key);
  ASSERT_TRUE(this->release(first.id, first.id));
  const core::TaskRecord late = this->reusing(key, first.id);

  auto created = this->store().create(late);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::ErrorCode::result_gone);
  EXPECT_FALSE(this->get(late.id).has_value());

  PendingBatch batch = pending_batch(1, {{"a"}, {"b"}});
  batch.tasks[1] = this->reusing(key, first.id);
  batch.record.entries[1].task_id = batch.tasks[1].id;
  created = this->store().create_batch(batch.record, batch.tasks);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::ErrorCode::result_gone);
  EXPECT_FALSE(this->get(batch.tasks[0].id).has_value());
  auto record = this->store().get_batch(batch.record.id);
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->has_value());
  EXPECT_EQ(this->depth_total(), 0u);
}

TYPED_TEST(ResultReuseContract, ABatchQueuesOnlyItsTasksThatReuseNothing) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key);
  PendingBatch batch = pending_batch(1, {{"thumb"}, {"large"}});
  batch.tasks[0] = this->reusing(key, first.id);
  batch.tasks[0].batch_id = batch.record.id;
  batch.tasks[0].variant = "thumb";
  batch.record.entries[0].task_id = batch.tasks[0].id;

  auto created = this->store().create_batch(batch.record, batch.tasks);
  ASSERT_TRUE(created.ok()) << created.error().log_message();
  expect_same_record(*this->get(batch.tasks[0].id), batch.tasks[0]);
  EXPECT_EQ(this->depth_total(), 1u);
  EXPECT_EQ(this->lease_now().task_id, batch.tasks[1].id);
  EXPECT_FALSE(this->release(first.id, first.id)) << "the batch's task reads it";
  EXPECT_TRUE(this->release(first.id, batch.tasks[0].id));
}

TYPED_TEST(ResultReuseContract, ExpiryRemovesASharedResultOnlyWithItsLastUser) {
  const std::string key = fresh_key();
  const core::TaskRecord first = this->succeeded(key, core::now() - 2s);
  const core::TaskRecord reuse = this->reusing(key, first.id, core::now() - 1s);
  ASSERT_TRUE(this->store().create(reuse).ok());
  const core::TaskRecord keyless = this->create(core::Priority::normal, core::now() + 1h);

  EXPECT_EQ(this->remove_expired(1), (std::vector<tasks::ExpiredTask>{{first.id, std::nullopt}}));
  EXPECT_TRUE(this->find(key).has_value()) << "the reusing task still reads it";
  EXPECT_EQ(this->remove_expired(10), (std::vector<tasks::ExpiredTask>{{reuse.id, first.id}}));
  EXPECT_FALSE(this->find(key).has_value());
  EXPECT_TRUE(this->get(keyless.id).has_value());
}

TYPED_TEST(ResultReuseContract, AnExpiredTaskOfItsOwnResultRemovesIt) {
  const core::TaskRecord keyed = this->succeeded(fresh_key(), core::now() - 500ms);
  const core::TaskRecord plain = this->create(core::Priority::normal, core::now() - 1s);
  EXPECT_EQ(this->remove_expired(10),
            (std::vector<tasks::ExpiredTask>{{plain.id, plain.id}, {keyed.id, keyed.id}}));
  EXPECT_FALSE(this->find(keyed.content_key).has_value());
}

}  // namespace
}  // namespace image_resize::contract
