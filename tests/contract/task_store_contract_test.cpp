// The TaskStore contract (tasks/task_store.h), run against every backend in TaskBackends.

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

template <class Backend>
class TaskStoreContract : public TaskContractFixture<Backend> {};
TYPED_TEST_SUITE(TaskStoreContract, TaskBackends);

// Every field of the spec set away from its default, so a dropped column shows.
core::TaskRecord task_with_every_field() {
  core::TaskRecord task = pending_task(core::Priority::low);
  task.spec = core::ResizeSpec{.width = 321,
                               .height = 123,
                               .fit = core::Fit::contain,
                               .format = core::OutputFormat::automatic,
                               .quality = 42,
                               .background = core::Rgba{1, 2, 3, 4},
                               .priority = core::Priority::low,
                               .gravity = core::Gravity::southeast,
                               .dpr = 3,
                               .progressive = true,
                               .lossless = true,
                               .strip = false,
                               .crop = core::CropRect{1, 2, 30, 40},
                               .accepts = {.avif = true, .webp = true}};
  task.input_format = core::ImageFormat::tiff;
  task.owner = "key-alice";
  task.source_url = "https://images.example/cat.jpg?size=large&x=%20";
  task.callback_url = "https://hooks.example/resized?token=abc";
  return task;
}

// The delivery a task with a callback_url owes from the moment it ends.
constexpr core::WebhookDelivery kOwed{.state = core::WebhookState::pending};

TYPED_TEST(TaskStoreContract, GetReturnsTheCreatedTaskFieldByField) {
  core::TaskRecord task = task_with_every_field();
  ASSERT_TRUE(this->store().create(task).ok());
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  expect_same_record(*found, task);
}

TYPED_TEST(TaskStoreContract, KeepsAnUnsetHeightAndBackgroundUnset) {
  core::TaskRecord task = pending_task();
  task.spec.width = std::nullopt;
  task.spec.height = 99;
  ASSERT_TRUE(this->store().create(task).ok());
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->spec.width, std::nullopt);
  EXPECT_EQ(found->spec.height, 99);
  EXPECT_EQ(found->spec.background, std::nullopt);
  EXPECT_EQ(found->owner, "");
}

TYPED_TEST(TaskStoreContract, GetOfAnUnknownIdIsNullopt) {
  auto found = this->store().get(core::TaskId::generate());
  ASSERT_TRUE(found.ok()) << found.error().log_message();
  EXPECT_FALSE(found->has_value());
}

TYPED_TEST(TaskStoreContract, SuccessRecordsEveryOutcomeField) {
  core::TaskRecord expected = task_with_every_field();
  ASSERT_TRUE(this->store().create(expected).ok());
  const core::TimePoint started = core::now() + 1s;
  const core::TimePoint finished = started + 250ms;
  const core::TaskOutput output{.width = 300,
                                .height = 200,
                                .format = core::ImageFormat::webp,
                                .bytes = 5'000'000'000ULL,
                                .blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
                                .dominant_colour = "#a1b2c3",
                                .etag = "\"0123456789abcdef\""};
  ASSERT_TRUE(this->store().mark_started(expected.id, 2, started).ok());
  ASSERT_TRUE(this->store().mark_succeeded(expected.id, output, finished).ok());

  expected.state = core::TaskState::success;
  expected.started_at = started;
  expected.finished_at = finished;
  expected.attempts = 2;
  expected.output = output;
  expected.webhook = kOwed;
  auto found = this->get(expected.id);
  ASSERT_TRUE(found.has_value());
  expect_same_record(*found, expected);
}

TYPED_TEST(TaskStoreContract, FailureRecordsCodeMessageAndSourceStatus) {
  core::TaskRecord expected = task_with_every_field();
  ASSERT_TRUE(this->store().create(expected).ok());
  const core::TimePoint started = core::now();
  const core::TaskFailure failure{.code = core::ErrorCode::source_http_error,
                                  .message = "the source answered 502, 'quoted'",
                                  .source_status = 502};
  ASSERT_TRUE(this->store().mark_started(expected.id, 1, started).ok());
  ASSERT_TRUE(this->store().mark_failed(expected.id, failure, started + 5ms).ok());

  expected.state = core::TaskState::failure;
  expected.started_at = started;
  expected.finished_at = started + 5ms;
  expected.attempts = 1;
  expected.failure = failure;
  expected.webhook = kOwed;
  auto found = this->get(expected.id);
  ASSERT_TRUE(found.has_value());
  expect_same_record(*found, expected);
}

TYPED_TEST(TaskStoreContract, MarkStartedAgainCountsTheNewAttempt) {
  const core::TaskRecord task = this->create();
  const core::TimePoint first = core::now();
  ASSERT_TRUE(this->store().mark_started(task.id, 1, first).ok());
  ASSERT_TRUE(this->store().mark_started(task.id, 2, first + 1s).ok());
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, core::TaskState::started);
  EXPECT_EQ(found->attempts, 2);
  EXPECT_EQ(found->started_at, first + 1s);
}

TYPED_TEST(TaskStoreContract, MarkStartedDoesNotReopenASucceededTask) {
  const core::TaskRecord task = this->create();
  const core::TimePoint finished = core::now();
  ASSERT_TRUE(this->store().mark_started(task.id, 1, finished - 1s).ok());
  ASSERT_TRUE(this->store()
                  .mark_succeeded(
                      task.id, core::TaskOutput{.width = 1, .height = 1, .etag = "\"z\""}, finished)
                  .ok());
  ASSERT_TRUE(this->store().mark_started(task.id, 2, finished + 1s).ok());
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, core::TaskState::success);
  EXPECT_EQ(found->attempts, 1);
  EXPECT_EQ(found->started_at, finished - 1s);
  EXPECT_TRUE(found->output.has_value());
}

TYPED_TEST(TaskStoreContract, MarkStartedDoesNotReopenAFailedTask) {
  const core::TaskRecord task = this->create();
  const core::TimePoint finished = core::now();
  ASSERT_TRUE(this->store().mark_failed(task.id, core::TaskFailure{.message = "x"}, finished).ok());
  ASSERT_TRUE(this->store().mark_started(task.id, 3, finished + 1s).ok());
  auto found = this->get(task.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, core::TaskState::failure);
  EXPECT_EQ(found->attempts, 0);
  EXPECT_EQ(found->started_at, std::nullopt);
}

TYPED_TEST(TaskStoreContract, TransitionsOfARemovedTaskHaveNoEffect) {
  const core::TaskRecord task = this->create();
  auto removed = this->store().remove(task.id);
  ASSERT_TRUE(removed.ok());
  const core::TimePoint at = core::now();
  EXPECT_TRUE(this->store().mark_started(task.id, 1, at).ok());
  EXPECT_TRUE(this->store().mark_succeeded(task.id, core::TaskOutput{}, at).ok());
  EXPECT_TRUE(this->store().mark_failed(task.id, core::TaskFailure{}, at).ok());
  EXPECT_FALSE(this->get(task.id).has_value());
}

TYPED_TEST(TaskStoreContract, RemoveSaysWhetherTheTaskExisted) {
  const core::TaskRecord task = this->create();
  auto first = this->store().remove(task.id);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto second = this->store().remove(task.id);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_FALSE(this->get(task.id).has_value());
}

TYPED_TEST(TaskStoreContract, RemoveAlsoTakesTheTaskOffTheQueue) {
  const core::TaskRecord task = this->create();
  ASSERT_TRUE(this->store().remove(task.id).ok());
  EXPECT_EQ(this->depth_total(), 0u);
  EXPECT_TRUE(this->nothing_to_lease());
}

TYPED_TEST(TaskStoreContract, RemoveExpiredTakesOnlyExpiredTasksOldestFirstUpToTheLimit) {
  const core::TimePoint now = core::now();
  const core::TaskRecord oldest = this->create(core::Priority::normal, now - 3h);
  const core::TaskRecord due_now = this->create(core::Priority::high, now);
  const core::TaskRecord older = this->create(core::Priority::low, now - 2h);
  const core::TaskRecord alive = this->create(core::Priority::normal, now + 1ms);

  auto first = this->store().remove_expired(now, 2);
  ASSERT_TRUE(first.ok()) << first.error().log_message();
  EXPECT_EQ(*first,
            (std::vector<tasks::ExpiredTask>{{oldest.id, oldest.id}, {older.id, older.id}}));
  auto second = this->store().remove_expired(now, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, (std::vector<tasks::ExpiredTask>{{due_now.id, due_now.id}}));
  auto third = this->store().remove_expired(now, 2);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->empty());

  EXPECT_FALSE(this->get(oldest.id).has_value());
  EXPECT_FALSE(this->get(due_now.id).has_value());
  EXPECT_TRUE(this->get(alive.id).has_value());
  // Their queue entries went with them: only the live task can be leased.
  EXPECT_EQ(this->depth_total(), 1u);
  EXPECT_EQ(this->lease_now().task_id, alive.id);
}

TYPED_TEST(TaskStoreContract, PingAnswers) {
  auto status = this->store().ping();
  EXPECT_TRUE(status.ok()) << status.error().log_message();
}

}  // namespace
}  // namespace image_resize::contract
