// The WorkerRegistry contract (tasks/worker_registry.h), run against every backend in
// TaskBackends, and TaskStore::recent_failures, which feeds the same dashboard.

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

template <class Backend>
class WorkerRegistryContract : public TaskContractFixture<Backend> {
 protected:
  std::vector<core::WorkerStatus> list() {
    auto listed = this->workers().list();
    EXPECT_TRUE(listed.ok()) << listed.error().log_message();
    return listed.ok() ? *listed : std::vector<core::WorkerStatus>{};
  }
  void beat(const core::WorkerStatus& status) {
    auto beaten = this->workers().beat(status);
    EXPECT_TRUE(beaten.ok()) << beaten.error().log_message();
  }
  void fail(const core::TaskId& id, core::ErrorCode code, core::TimePoint at) {
    auto failed = this->store().mark_failed(id, {code, "because"}, at);
    EXPECT_TRUE(failed.ok()) << failed.error().log_message();
  }
};
TYPED_TEST_SUITE(WorkerRegistryContract, TaskBackends);

core::WorkerStatus worker(std::string name, core::TimePoint last_seen) {
  core::ActivityWindow recent{.seconds = 60, .succeeded = 7, .failed = 2, .processing_buckets = {}};
  recent.processing_buckets.assign(core::activity_bucket_bounds().size() + 1, 0);
  recent.processing_buckets[3] = 9;
  recent.waiting_buckets[static_cast<std::size_t>(core::Priority::low)] = recent.processing_buckets;
  return core::WorkerStatus{.name = std::move(name),
                            .threads = 4,
                            .busy = 1,
                            .started_at = last_seen - 1h,
                            .last_seen = last_seen,
                            .recent = recent};
}

TYPED_TEST(WorkerRegistryContract, ListsWhatEachWorkerLastSaidNewestFirst) {
  const core::TimePoint now = core::now();
  this->beat(worker("host-1", now - 5s));
  this->beat(worker("host-2", now - 1s));
  auto updated = worker("host-1", now);
  updated.busy = 3;
  this->beat(updated);

  const auto workers = this->list();
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_EQ(workers[0], updated);  // every field round-trips
  EXPECT_EQ(workers[1].name, "host-2");
}

TYPED_TEST(WorkerRegistryContract, ALeavingWorkerIsForgotten) {
  this->beat(worker("host-1", core::now()));
  this->beat(worker("host-2", core::now()));
  ASSERT_TRUE(this->workers().leave("host-1").ok());
  const auto workers = this->list();
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers[0].name, "host-2");
}

TYPED_TEST(WorkerRegistryContract, WorkersSilentForTheForgetPeriodAreDropped) {
  const core::TimePoint now = core::now();
  this->beat(worker("long-gone", now - tasks::WorkerRegistry::kForgetAfter - 1min));
  this->beat(worker("recent", now - 10s));
  const auto workers = this->list();
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers[0].name, "recent");
}

TYPED_TEST(WorkerRegistryContract, RecentFailuresAreTheLatestFailuresNewestFirst) {
  const core::TimePoint now = core::now();
  const auto older = this->create();
  const auto newer = this->create();
  const auto succeeded = this->create();
  const auto pending = this->create();
  (void)pending;
  this->fail(older.id, core::ErrorCode::decode_failed, now - 2s);
  this->fail(newer.id, core::ErrorCode::timeout, now - 1s);
  ASSERT_TRUE(this->store().mark_succeeded(succeeded.id, {}, now).ok());

  auto failures = this->store().recent_failures(10);
  ASSERT_TRUE(failures.ok()) << failures.error().log_message();
  ASSERT_EQ(failures->size(), 2u);
  EXPECT_EQ((*failures)[0].id, newer.id);
  EXPECT_EQ((*failures)[0].failure->code, core::ErrorCode::timeout);
  EXPECT_EQ((*failures)[0].failure->message, "because");
  EXPECT_EQ((*failures)[1].id, older.id);

  auto one = this->store().recent_failures(1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].id, newer.id);
}

TYPED_TEST(WorkerRegistryContract, RecentFailuresLeaveOutRemovedAndRetriedTasks) {
  const auto removed = this->create();
  const auto retried = this->create();
  const auto kept = this->create();
  for (const auto* task : {&removed, &retried, &kept}) {
    this->fail(task->id, core::ErrorCode::decode_failed, core::now());
  }
  ASSERT_TRUE(this->store().remove(removed.id).ok());
  ASSERT_TRUE(this->store().mark_succeeded(retried.id, {}, core::now()).ok());

  auto failures = this->store().recent_failures(10);
  ASSERT_TRUE(failures.ok()) << failures.error().log_message();
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].id, kept.id);
}

}  // namespace
}  // namespace image_resize::contract
