// The WebhookOutbox contract (tasks/webhook_outbox.h) and the entries TaskStore makes in it, run
// against every backend in TaskBackends. Times are passed in, so nothing here sleeps.

#include <vector>

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using Ids = std::vector<core::TaskId>;

constexpr auto kClaim = 30s;
constexpr core::WebhookDelivery kOwed{.state = core::WebhookState::pending};

template <class Backend>
class WebhookOutboxContract : public TaskContractFixture<Backend> {
 protected:
  // A task with a callback_url that succeeded (or failed) at `finished`.
  core::TaskId finished_with_callback(core::TimePoint finished, bool succeeded = true) {
    core::TaskRecord task = pending_task();
    task.callback_url = "https://hooks.example/done";
    EXPECT_TRUE(this->store().create(task).ok());
    const auto marked = succeeded ? this->store().mark_succeeded(task.id, {}, finished)
                                  : this->store().mark_failed(task.id, {}, finished);
    EXPECT_TRUE(marked.ok()) << marked.error().log_message();
    return task.id;
  }

  Ids claim(core::TimePoint now, std::size_t limit = 100) {
    auto claimed = this->webhooks().claim_due(now, limit, kClaim);
    EXPECT_TRUE(claimed.ok()) << claimed.error().log_message();
    return claimed.ok() ? *claimed : Ids{};
  }

  std::size_t backlog() {
    auto count = this->webhooks().backlog();
    EXPECT_TRUE(count.ok()) << count.error().log_message();
    return count.ok() ? *count : 0;
  }

  std::optional<core::WebhookDelivery> webhook_of(const core::TaskId& id) {
    auto task = this->get(id);
    return task ? task->webhook : std::nullopt;
  }

  Ids failing(std::size_t limit = 100) {
    auto tasks = this->webhooks().failing(limit);
    EXPECT_TRUE(tasks.ok()) << tasks.error().log_message();
    Ids ids;
    if (tasks.ok()) {
      for (const core::TaskRecord& task : *tasks) ids.push_back(task.id);
    }
    return ids;
  }
};
TYPED_TEST_SUITE(WebhookOutboxContract, TaskBackends);

TYPED_TEST(WebhookOutboxContract, ASucceededTaskWithACallbackOwesItsWebhookAtOnce) {
  const core::TimePoint now = core::now();
  const core::TaskId id = this->finished_with_callback(now);
  EXPECT_EQ(this->webhook_of(id), kOwed);
  EXPECT_EQ(this->backlog(), 1u);
  EXPECT_EQ(this->claim(now), Ids{id});
}

TYPED_TEST(WebhookOutboxContract, AFailedTaskWithACallbackOwesItsWebhookAtOnce) {
  const core::TimePoint now = core::now();
  const core::TaskId id = this->finished_with_callback(now, /*succeeded=*/false);
  EXPECT_EQ(this->webhook_of(id), kOwed);
  EXPECT_EQ(this->claim(now), Ids{id});
}

TYPED_TEST(WebhookOutboxContract, ATaskWithoutACallbackOwesNothing) {
  const core::TimePoint now = core::now();
  const core::TaskRecord succeeded = this->create();
  const core::TaskRecord failed = this->create();
  ASSERT_TRUE(this->store().mark_succeeded(succeeded.id, {}, now).ok());
  ASSERT_TRUE(this->store().mark_failed(failed.id, {}, now).ok());
  EXPECT_EQ(this->webhook_of(succeeded.id), std::nullopt);
  EXPECT_EQ(this->webhook_of(failed.id), std::nullopt);
  EXPECT_EQ(this->backlog(), 0u);
  EXPECT_TRUE(this->claim(now + 1h).empty());
}

TYPED_TEST(WebhookOutboxContract, ClaimDueReturnsTheLongestDueFirstUpToTheLimit) {
  const core::TimePoint now = core::now();
  const core::TaskId middle = this->finished_with_callback(now - 2s);
  const core::TaskId newest = this->finished_with_callback(now - 1s);
  const core::TaskId oldest = this->finished_with_callback(now - 3s);
  const core::TaskId not_yet = this->finished_with_callback(now + 1s);
  EXPECT_EQ(this->claim(now, 2), (Ids{oldest, middle}));
  EXPECT_EQ(this->claim(now, 2), Ids{newest});
  EXPECT_TRUE(this->claim(now, 2).empty());
  EXPECT_EQ(this->claim(now + 1s, 2), Ids{not_yet});
}

TYPED_TEST(WebhookOutboxContract, AClaimHidesTheEntryUntilItRunsOutThenItIsDueAgain) {
  const core::TimePoint now = core::now();
  const core::TaskId id = this->finished_with_callback(now);
  EXPECT_EQ(this->claim(now), Ids{id});
  EXPECT_TRUE(this->claim(now).empty());
  EXPECT_TRUE(this->claim(now + kClaim - 1ms).empty());
  EXPECT_EQ(this->claim(now + kClaim), Ids{id}) << "its deliverer died: delivered at least once";
  EXPECT_EQ(this->backlog(), 1u) << "a claimed entry is still in the backlog";
}

TYPED_TEST(WebhookOutboxContract, SettleRemovesTheEntryAndRecordsTheDelivery) {
  const core::TimePoint now = core::now();
  const core::TaskId delivered = this->finished_with_callback(now);
  const core::TaskId gone = this->finished_with_callback(now);
  ASSERT_EQ(this->claim(now).size(), 2u);
  const core::WebhookDelivery ok{core::WebhookState::delivered, 2, 204};
  const core::WebhookDelivery refused{core::WebhookState::failed, 1, 410};
  ASSERT_TRUE(this->webhooks().settle(delivered, ok).ok());
  ASSERT_TRUE(this->webhooks().settle(gone, refused).ok());
  EXPECT_EQ(this->webhook_of(delivered), ok);
  EXPECT_EQ(this->webhook_of(gone), refused);
  EXPECT_EQ(this->backlog(), 0u);
  EXPECT_TRUE(this->claim(now + 1h).empty());
}

TYPED_TEST(WebhookOutboxContract, RescheduleMovesTheEntryToNextAndRecordsTheAttempt) {
  const core::TimePoint now = core::now();
  const core::TaskId id = this->finished_with_callback(now);
  ASSERT_EQ(this->claim(now), Ids{id});
  const core::WebhookDelivery attempt{core::WebhookState::pending, 1, 503};
  ASSERT_TRUE(this->webhooks().reschedule(id, attempt, now + 10s).ok());
  EXPECT_EQ(this->webhook_of(id), attempt);
  EXPECT_TRUE(this->claim(now + 10s - 1ms).empty());
  EXPECT_EQ(this->claim(now + 10s), Ids{id});
  EXPECT_EQ(this->backlog(), 1u);
}

TYPED_TEST(WebhookOutboxContract, ReleaseClaimsMakesClaimsDueAtOnceButNotBackoffs) {
  const core::TimePoint now = core::now();
  const core::TaskId claimed = this->finished_with_callback(now - 2s);
  const core::TaskId backing_off = this->finished_with_callback(now - 1s);
  ASSERT_EQ(this->claim(now), (Ids{claimed, backing_off}));
  ASSERT_TRUE(this->webhooks()
                  .reschedule(backing_off, {core::WebhookState::pending, 1, 500}, now + 1h)
                  .ok());
  ASSERT_TRUE(this->webhooks().release_claims().ok());
  const core::TimePoint after = core::now();
  EXPECT_EQ(this->claim(after), Ids{claimed});
  EXPECT_TRUE(this->claim(after).empty());
  ASSERT_TRUE(this->webhooks().settle(claimed, {core::WebhookState::delivered, 1, 200}).ok());
  EXPECT_TRUE(this->claim(now + 1h - 1ms).empty());
  EXPECT_EQ(this->claim(now + 1h), Ids{backing_off});
}

TYPED_TEST(WebhookOutboxContract, RemovingATaskRemovesItsEntry) {
  const core::TimePoint now = core::now();
  const core::TaskId removed = this->finished_with_callback(now);
  const core::TaskId claimed_then_removed = this->finished_with_callback(now);
  ASSERT_TRUE(this->store().remove(removed).ok());
  ASSERT_EQ(this->claim(now), Ids{claimed_then_removed});
  ASSERT_TRUE(this->store().remove(claimed_then_removed).ok());
  EXPECT_EQ(this->backlog(), 0u);
  EXPECT_TRUE(this->claim(now + 1h).empty());
  // A deliverer that finishes after the DELETE changes nothing.
  EXPECT_TRUE(
      this->webhooks().settle(claimed_then_removed, {core::WebhookState::delivered, 1, 200}).ok());
  EXPECT_TRUE(this->webhooks()
                  .reschedule(claimed_then_removed, {core::WebhookState::pending, 1, 500}, now)
                  .ok());
  EXPECT_FALSE(this->get(claimed_then_removed).has_value());
  EXPECT_TRUE(this->claim(now + 1h).empty());
  EXPECT_TRUE(this->failing().empty());
}

TYPED_TEST(WebhookOutboxContract, AnExpiredTaskTakesItsEntryWithIt) {
  const core::TimePoint now = core::now();
  core::TaskRecord task = pending_task(core::Priority::normal, now - 1s);
  task.callback_url = "https://hooks.example/done";
  ASSERT_TRUE(this->store().create(task).ok());
  ASSERT_TRUE(this->store().mark_succeeded(task.id, {}, now - 2s).ok());
  auto expired = this->store().remove_expired(now, 10);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, (std::vector<tasks::ExpiredTask>{{task.id, task.id}}));
  EXPECT_EQ(this->backlog(), 0u);
  EXPECT_TRUE(this->claim(now + 1h).empty());
}

TYPED_TEST(WebhookOutboxContract, FailingListsFailedAndFailingDeliveriesMostRecentlyFinishedFirst) {
  const core::TimePoint now = core::now();
  const core::TaskId failed = this->finished_with_callback(now - 4s);
  const core::TaskId retrying = this->finished_with_callback(now - 3s, /*succeeded=*/false);
  const core::TaskId delivered = this->finished_with_callback(now - 2s);
  this->finished_with_callback(now - 1s);  // owed, not attempted yet: not failing
  const core::TaskId recovered = this->finished_with_callback(now - 5s);
  ASSERT_TRUE(this->webhooks().settle(failed, {core::WebhookState::failed, 8, 500}).ok());
  ASSERT_TRUE(
      this->webhooks().reschedule(retrying, {core::WebhookState::pending, 2, 0}, now + 1min).ok());
  ASSERT_TRUE(this->webhooks().settle(delivered, {core::WebhookState::delivered, 1, 200}).ok());
  ASSERT_TRUE(
      this->webhooks().reschedule(recovered, {core::WebhookState::pending, 1, 502}, now).ok());
  ASSERT_TRUE(this->webhooks().settle(recovered, {core::WebhookState::delivered, 2, 200}).ok());

  EXPECT_EQ(this->failing(), (Ids{retrying, failed}));
  EXPECT_EQ(this->failing(1), Ids{retrying});
  auto records = this->webhooks().failing(1);
  ASSERT_TRUE(records.ok() && records->size() == 1);
  EXPECT_EQ(records->front().webhook, (core::WebhookDelivery{core::WebhookState::pending, 2, 0}));
}

TYPED_TEST(WebhookOutboxContract, BacklogCountsWaitingClaimedAndBackingOffEntries) {
  const core::TimePoint now = core::now();
  EXPECT_EQ(this->backlog(), 0u);
  const core::TaskId claimed = this->finished_with_callback(now - 2s);
  const core::TaskId backing_off = this->finished_with_callback(now - 1s);
  this->finished_with_callback(now);
  ASSERT_EQ(this->claim(now, 2), (Ids{claimed, backing_off}));
  ASSERT_TRUE(this->webhooks()
                  .reschedule(backing_off, {core::WebhookState::pending, 1, 500}, now + 1h)
                  .ok());
  EXPECT_EQ(this->backlog(), 3u);
  ASSERT_TRUE(this->webhooks().settle(claimed, {core::WebhookState::delivered, 1, 200}).ok());
  EXPECT_EQ(this->backlog(), 2u);
}

}  // namespace
}  // namespace image_resize::contract
