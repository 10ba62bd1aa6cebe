// The Idempotency-Key half of the TaskStore contract (tasks/task_store.h): create_answered,
// find_answer and remove_expired_answers, run against every backend in TaskBackends.

#include <string>
#include <thread>
#include <vector>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using testing::BatchVariant;
using testing::pending_batch;
using testing::PendingBatch;

core::IdempotentAnswer answer(std::string key, std::string body,
                              core::TimePoint expires_at = core::now() + 1h) {
  return core::IdempotentAnswer{.owner = "mobile-app",
                                .key = std::move(key),
                                .fingerprint = "fingerprint-" + body,
                                .location = "/api/v1/status/" + body,
                                .body = "{\"task_id\":\"" + body + "\"}",
                                .expires_at = expires_at};
}

template <class Backend>
class IdempotencyContract : public TaskContractFixture<Backend> {
 protected:
  std::optional<core::IdempotentAnswer> create_answered(const core::IdempotentAnswer& recorded,
                                                        const core::TaskRecord& task) {
    auto created = this->store().create_answered(recorded, std::nullopt, {task});
    EXPECT_TRUE(created.ok()) << created.error().log_message();
    return created.ok() ? *created : std::nullopt;
  }

  std::optional<core::IdempotentAnswer> find(std::string_view owner, std::string_view key) {
    auto found = this->store().find_answer(owner, key, core::now());
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    return found.ok() ? *found : std::nullopt;
  }
};
TYPED_TEST_SUITE(IdempotencyContract, TaskBackends);

TYPED_TEST(IdempotencyContract, AnAnswerIsRecordedWithItsTaskAndFoundAgain) {
  const core::TaskRecord task = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::IdempotentAnswer recorded = answer("key-1", task.id.str());

  EXPECT_EQ(this->create_answered(recorded, task), std::nullopt);

  EXPECT_TRUE(this->get(task.id).has_value());
  EXPECT_EQ(this->depth_total(), 1u);
  auto found = this->find("mobile-app", "key-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->fingerprint, recorded.fingerprint);
  EXPECT_EQ(found->location, recorded.location);
  EXPECT_EQ(found->body, recorded.body);
  EXPECT_EQ(core::to_unix_ms(found->expires_at), core::to_unix_ms(recorded.expires_at));
}

TYPED_TEST(IdempotencyContract, ASecondCreateWithTheKeyCreatesNothingAndGetsTheFirstAnswer) {
  const core::TaskRecord first = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::TaskRecord second = testing::pending_task(core::Priority::normal, core::now() + 1h);
  ASSERT_EQ(this->create_answered(answer("key-1", first.id.str()), first), std::nullopt);

  auto earlier = this->create_answered(answer("key-1", second.id.str()), second);

  ASSERT_TRUE(earlier.has_value());
  EXPECT_EQ(earlier->body, answer("key-1", first.id.str()).body);
  EXPECT_FALSE(this->get(second.id).has_value());
  EXPECT_EQ(this->depth_total(), 1u);
}

TYPED_TEST(IdempotencyContract, KeysAreSeparatePerOwner) {
  const core::TaskRecord first = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::TaskRecord second = testing::pending_task(core::Priority::normal, core::now() + 1h);
  ASSERT_EQ(this->create_answered(answer("key-1", first.id.str()), first), std::nullopt);
  core::IdempotentAnswer other = answer("key-1", second.id.str());
  other.owner = "web";

  EXPECT_EQ(this->create_answered(other, second), std::nullopt);

  EXPECT_TRUE(this->get(second.id).has_value());
  EXPECT_EQ(this->find("web", "key-1")->body, other.body);
  EXPECT_EQ(this->find("mobile-app", "key-1")->body, answer("key-1", first.id.str()).body);
  EXPECT_EQ(this->find("", "key-1"), std::nullopt);
}

TYPED_TEST(IdempotencyContract, ABatchIsCreatedWithItsAnswerOrNotAtAll) {
  const std::vector<BatchVariant> variants = {{"thumb", core::Priority::low},
                                              {"large", core::Priority::low}};
  const PendingBatch first = pending_batch(2, variants, core::now() + 1h);
  const PendingBatch second = pending_batch(2, variants, core::now() + 1h);
  auto created = this->store().create_answered(answer("batch-key", first.record.id.str()),
                                               first.record, first.tasks);
  ASSERT_TRUE(created.ok()) << created.error().log_message();
  EXPECT_EQ(*created, std::nullopt);

  auto again = this->store().create_answered(answer("batch-key", second.record.id.str()),
                                             second.record, second.tasks);

  ASSERT_TRUE(again.ok()) << again.error().log_message();
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->body, answer("batch-key", first.record.id.str()).body);
  auto batch = this->store().get_batch(second.record.id);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(*batch, std::nullopt);
  for (const core::TaskRecord& task : second.tasks) EXPECT_FALSE(this->get(task.id).has_value());
  EXPECT_EQ(this->depth_total(), first.tasks.size());
}

TYPED_TEST(IdempotencyContract, AnExpiredAnswerIsNotFoundAndItsKeyMayBeUsedAgain) {
  const core::TaskRecord first = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::TaskRecord second = testing::pending_task(core::Priority::normal, core::now() + 1h);
  // Redis expires the answer's hash at expires_at: give it a moment to pass.
  ASSERT_EQ(this->create_answered(answer("key-1", first.id.str(), core::now() + 50ms), first),
            std::nullopt);
  std::this_thread::sleep_for(100ms);

  EXPECT_EQ(this->find("mobile-app", "key-1"), std::nullopt);
  EXPECT_EQ(this->create_answered(answer("key-1", second.id.str()), second), std::nullopt);
  EXPECT_EQ(this->find("mobile-app", "key-1")->body, answer("key-1", second.id.str()).body);
}

TYPED_TEST(IdempotencyContract, TheSweepRemovesOnlyExpiredAnswers) {
  const core::TaskRecord first = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::TaskRecord second = testing::pending_task(core::Priority::normal, core::now() + 1h);
  ASSERT_EQ(this->create_answered(answer("old", first.id.str(), core::now() + 50ms), first),
            std::nullopt);
  ASSERT_EQ(this->create_answered(answer("new", second.id.str()), second), std::nullopt);
  std::this_thread::sleep_for(100ms);

  auto removed = this->store().remove_expired_answers(core::now(), 100);

  ASSERT_TRUE(removed.ok()) << removed.error().log_message();
  EXPECT_LE(*removed, 1u);  // Redis expired it on its own
  EXPECT_EQ(this->find("mobile-app", "old"), std::nullopt);
  EXPECT_TRUE(this->find("mobile-app", "new").has_value());
  // The tasks are not the answers': they stay.
  EXPECT_TRUE(this->get(first.id).has_value());
}

}  // namespace
}  // namespace image_resize::contract
