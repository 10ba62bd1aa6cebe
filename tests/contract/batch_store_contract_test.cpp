// The batch half of the TaskStore contract (tasks/task_store.h): create_batch, get_batch,
// remove_batch, remove_expired_batches, recent_batches and release_input, run against every
// backend in TaskBackends.

#include <algorithm>
#include <string>
#include <vector>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using testing::BatchVariant;
using testing::pending_batch;
using testing::PendingBatch;

template <class Backend>
class BatchStoreContract : public TaskContractFixture<Backend> {
 protected:
  PendingBatch create_batch(std::size_t files, const std::vector<BatchVariant>& variants,
                            core::TimePoint expires_at = core::now() + 1h) {
    PendingBatch batch = pending_batch(files, variants, expires_at);
    auto created = this->store().create_batch(batch.record, batch.tasks);
    EXPECT_TRUE(created.ok()) << created.error().log_message();
    return batch;
  }

  std::optional<core::BatchRecord> get_batch(const core::TaskId& id) {
    auto found = this->store().get_batch(id);
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    return found.ok() ? *found : std::nullopt;
  }

  bool release_input(const core::TaskId& input, const core::TaskId& task) {
    auto unused = this->store().release_input(input, task);
    EXPECT_TRUE(unused.ok()) << unused.error().log_message();
    return unused.ok() && *unused;
  }

  std::vector<core::BatchRecord> remove_expired_batches(core::TimePoint now, std::size_t limit) {
    auto removed = this->store().remove_expired_batches(now, limit);
    EXPECT_TRUE(removed.ok()) << removed.error().log_message();
    return removed.ok() ? *removed : std::vector<core::BatchRecord>();
  }

  std::vector<core::BatchRecord> recent_batches(std::size_t limit) {
    auto recent = this->store().recent_batches(limit);
    EXPECT_TRUE(recent.ok()) << recent.error().log_message();
    return recent.ok() ? *recent : std::vector<core::BatchRecord>();
  }
};
TYPED_TEST_SUITE(BatchStoreContract, TaskBackends);

const std::vector<BatchVariant> kVariants = {{"thumb", core::Priority::high},
                                             {"large", core::Priority::low},
                                             {"medium", core::Priority::normal}};

TYPED_TEST(BatchStoreContract, GetBatchReturnsTheCreatedRecordAndEveryTaskItsFields) {
  const PendingBatch batch = this->create_batch(2, kVariants);
  ASSERT_EQ(batch.tasks.size(), 6u);

  EXPECT_EQ(this->get_batch(batch.record.id), batch.record);
  for (const core::TaskRecord& task : batch.tasks) {
    auto found = this->get(task.id);
    ASSERT_TRUE(found.has_value()) << task.id.str();
    expect_same_record(*found, task);
  }
}

TYPED_TEST(BatchStoreContract, EveryTaskOfTheBatchIsQueuedHighBeforeNormalBeforeLowInOrder) {
  const PendingBatch batch = this->create_batch(2, kVariants);
  std::vector<core::TaskRecord> expected = batch.tasks;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.spec.priority < b.spec.priority; });
  EXPECT_EQ(this->depth_total(), expected.size());

  for (const core::TaskRecord& task : expected) {
    const tasks::Lease lease = this->lease_now();
    EXPECT_EQ(lease.task_id, task.id) << task.variant;
    EXPECT_EQ(lease.priority, task.spec.priority);
  }
  EXPECT_TRUE(this->nothing_to_lease());
}

TYPED_TEST(BatchStoreContract, GetBatchOfAnUnknownIdIsNullopt) {
  auto found = this->store().get_batch(core::TaskId::generate());
  ASSERT_TRUE(found.ok()) << found.error().log_message();
  EXPECT_FALSE(found->has_value());
}

TYPED_TEST(BatchStoreContract, ABatchWithAnExistingTaskIdCreatesNothing) {
  const core::TaskRecord existing = this->create();
  PendingBatch batch = pending_batch(1, kVariants);
  batch.tasks[1].id = existing.id;  // the second of three
  batch.record.entries[1].task_id = existing.id;

  EXPECT_FALSE(this->store().create_batch(batch.record, batch.tasks).ok());

  EXPECT_FALSE(this->get_batch(batch.record.id).has_value());
  EXPECT_FALSE(this->get(batch.tasks[0].id).has_value());
  EXPECT_FALSE(this->get(batch.tasks[2].id).has_value());
  auto kept = this->get(existing.id);
  ASSERT_TRUE(kept.has_value());
  expect_same_record(*kept, existing);
  EXPECT_EQ(this->depth_total(), 1u);
  EXPECT_EQ(this->lease_now().task_id, existing.id);
  EXPECT_TRUE(this->nothing_to_lease());
  // No task became a user of the shared input either.
  EXPECT_TRUE(this->release_input(batch.record.files[0].input_id, batch.tasks[0].id));
}

TYPED_TEST(BatchStoreContract, AnInputIsUnusedOnceTheLastOfItsTasksReleasesIt) {
  const PendingBatch batch = this->create_batch(1, kVariants);
  const core::TaskId& input = batch.record.files[0].input_id;
  const core::TaskId& t1 = batch.tasks[0].id;

  EXPECT_FALSE(this->release_input(input, t1));
  EXPECT_FALSE(this->release_input(input, t1)) << "a second release of t1 counts for nothing";
  EXPECT_FALSE(this->release_input(input, batch.tasks[1].id));
  EXPECT_TRUE(this->release_input(input, batch.tasks[2].id));
}

TYPED_TEST(BatchStoreContract, TheInputsOfOneBatchAreCountedApart) {
  const PendingBatch batch = this->create_batch(2, {{"only"}});
  EXPECT_TRUE(this->release_input(batch.record.files[0].input_id, batch.tasks[0].id));
  EXPECT_TRUE(this->release_input(batch.record.files[1].input_id, batch.tasks[1].id));
}

TYPED_TEST(BatchStoreContract, AnInputNobodyRegisteredIsUnused) {
  EXPECT_TRUE(this->release_input(core::TaskId::generate(), core::TaskId::generate()));
}

TYPED_TEST(BatchStoreContract, RemoveBatchRemovesTheRecordAndItsInputUsersButNotItsTasks) {
  const PendingBatch batch = this->create_batch(1, kVariants);
  auto first = this->store().remove_batch(batch.record);
  ASSERT_TRUE(first.ok()) << first.error().log_message();
  EXPECT_TRUE(*first);
  auto second = this->store().remove_batch(batch.record);
  ASSERT_TRUE(second.ok()) << second.error().log_message();
  EXPECT_FALSE(*second);

  EXPECT_FALSE(this->get_batch(batch.record.id).has_value());
  for (const core::TaskRecord& task : batch.tasks) {
    EXPECT_TRUE(this->get(task.id).has_value()) << task.id.str();
  }
  EXPECT_EQ(this->depth_total(), batch.tasks.size());
  EXPECT_TRUE(this->release_input(batch.record.files[0].input_id, batch.tasks[0].id));
}

TYPED_TEST(BatchStoreContract, RemoveExpiredBatchesTakesOnlyExpiredOnesOldestFirstUpToTheLimit) {
  const core::TimePoint now = core::now();
  const PendingBatch older = this->create_batch(1, {{"a"}}, now - 2h);
  const PendingBatch alive = this->create_batch(1, {{"a"}}, now + 1ms);
  const PendingBatch due_now = this->create_batch(2, kVariants, now);
  const PendingBatch oldest = this->create_batch(1, kVariants, now - 3h);

  EXPECT_EQ(this->remove_expired_batches(now, 2),
            (std::vector<core::BatchRecord>{oldest.record, older.record}));
  EXPECT_EQ(this->remove_expired_batches(now, 2), std::vector<core::BatchRecord>{due_now.record});
  EXPECT_TRUE(this->remove_expired_batches(now, 2).empty());

  EXPECT_FALSE(this->get_batch(oldest.record.id).has_value());
  EXPECT_FALSE(this->get_batch(due_now.record.id).has_value());
  EXPECT_EQ(this->get_batch(alive.record.id), alive.record);
  // Their tasks expire on their own.
  EXPECT_TRUE(this->get(oldest.tasks[0].id).has_value());
}

TYPED_TEST(BatchStoreContract, RemoveExpiredBatchesForgetsTheirInputUsersAsRemoveBatchDoes) {
  const PendingBatch expired = this->create_batch(1, kVariants, core::now() - 1s);
  ASSERT_EQ(this->remove_expired_batches(core::now(), 10).size(), 1u);
  EXPECT_TRUE(this->release_input(expired.record.files[0].input_id, expired.tasks[0].id));
}

// Every batch has the same TTL, so a later expiry is a later creation.
TYPED_TEST(BatchStoreContract, RecentBatchesAreTheNewestFirstUpToTheLimit) {
  EXPECT_TRUE(this->recent_batches(10).empty());
  const core::TimePoint now = core::now();
  const PendingBatch first = this->create_batch(1, {{"a"}}, now + 1h);
  const PendingBatch third = this->create_batch(1, {{"a"}}, now + 1h + 2s);
  const PendingBatch second = this->create_batch(2, kVariants, now + 1h + 1s);

  EXPECT_EQ(this->recent_batches(2), (std::vector<core::BatchRecord>{third.record, second.record}));
  EXPECT_EQ(this->recent_batches(10),
            (std::vector<core::BatchRecord>{third.record, second.record, first.record}));
  EXPECT_TRUE(this->recent_batches(0).empty());

  ASSERT_TRUE(this->store().remove_batch(second.record).ok());
  EXPECT_EQ(this->recent_batches(10), (std::vector<core::BatchRecord>{third.record, first.record}));
}

TYPED_TEST(BatchStoreContract, ATaskCreatedAloneBelongsToNoBatch) {
  const core::TaskRecord task = this->create();
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->batch_id, std::nullopt);
  EXPECT_EQ(found->input_id, std::nullopt);
  EXPECT_EQ(found->variant, "");
  EXPECT_EQ(found->input_key(), task.id);
}

}  // namespace
}  // namespace image_resize::contract
