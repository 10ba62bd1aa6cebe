// The WorkerControls contract (tasks/worker_controls.h), run against every backend in
// TaskBackends: numbered commands, the newest winning field by field between a worker's own
// commands and those to every worker, and a start point before which nothing applies.

#include "contract/task_contract_fixture.h"

namespace image_resize::contract {
namespace {

using tasks::kEveryWorker;
using tasks::WorkerCommand;

template <class Backend>
class WorkerControlsContract : public TaskContractFixture<Backend> {
 protected:
  std::int64_t issue(const std::string& target, WorkerCommand command) {
    auto issued = this->controls().issue(target, command);
    EXPECT_TRUE(issued.ok()) << issued.error().log_message();
    return issued.ok() ? *issued : -1;
  }
  WorkerCommand settings(const std::string& name, std::int64_t issued_after = 0) {
    auto read = this->controls().settings(name, issued_after);
    EXPECT_TRUE(read.ok()) << read.error().log_message();
    return read.ok() ? *read : WorkerCommand{};
  }
  std::int64_t latest() {
    auto read = this->controls().latest();
    EXPECT_TRUE(read.ok()) << read.error().log_message();
    return read.ok() ? *read : -1;
  }
};
TYPED_TEST_SUITE(WorkerControlsContract, TaskBackends);

TYPED_TEST(WorkerControlsContract, NothingAppliesBeforeAnyCommand) {
  EXPECT_EQ(this->latest(), 0);
  const WorkerCommand none = this->settings("host-1");
  EXPECT_FALSE(none.concurrency);
  EXPECT_FALSE(none.paused);
}

TYPED_TEST(WorkerControlsContract, CommandsAreNumberedInOrder) {
  const auto first = this->issue("host-1", {.concurrency = 3, .paused = {}});
  const auto second = this->issue(std::string(kEveryWorker), {.concurrency = {}, .paused = true});
  EXPECT_GT(first, 0);
  EXPECT_GT(second, first);
  EXPECT_EQ(this->latest(), second);
}

TYPED_TEST(WorkerControlsContract, TheNewestCommandWinsFieldByField) {
  this->issue("host-1", {.concurrency = 3, .paused = {}});
  this->issue(std::string(kEveryWorker), {.concurrency = {}, .paused = true});
  WorkerCommand host1 = this->settings("host-1");
  EXPECT_EQ(host1.concurrency, 3);  // its own, untouched by the pause of all
  EXPECT_EQ(host1.paused, true);    // every worker's
  EXPECT_EQ(this->settings("host-2").paused, true);
  EXPECT_FALSE(this->settings("host-2").concurrency);

  this->issue("host-1", {.concurrency = {}, .paused = false});  // resumes only host-1
  this->issue(std::string(kEveryWorker), {.concurrency = 1, .paused = {}});
  host1 = this->settings("host-1");
  EXPECT_EQ(host1.paused, false);
  EXPECT_EQ(host1.concurrency, 1);  // every worker's, newer than its own 3
  EXPECT_EQ(this->settings("host-2").paused, true);
}

TYPED_TEST(WorkerControlsContract, CommandsUpToTheStartPointDoNotApply) {
  this->issue("host-1", {.concurrency = 2, .paused = true});
  const auto start = this->latest();
  EXPECT_FALSE(this->settings("host-1", start).concurrency);
  EXPECT_FALSE(this->settings("host-1", start).paused);

  this->issue(std::string(kEveryWorker), {.concurrency = 4, .paused = {}});
  const WorkerCommand after = this->settings("host-1", start);
  EXPECT_EQ(after.concurrency, 4);
  EXPECT_FALSE(after.paused);  // set before the start point only
}

}  // namespace
}  // namespace image_resize::contract
