#pragma once
// The fixture shared by the TaskStore and TaskQueue contract suites: a fresh backend per test,
// and helpers to make and compare task records.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "contract/task_backends.h"
#include "core/clock.h"
#include "core/task.h"
#include "support/task_records.h"

namespace image_resize::contract {

using namespace std::chrono_literals;

using testing::pending_task;

inline void expect_same_record(const core::TaskRecord& actual, const core::TaskRecord& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.state, expected.state);
  EXPECT_EQ(actual.spec, expected.spec);
  EXPECT_EQ(actual.input_format, expected.input_format);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.started_at, expected.started_at);
  EXPECT_EQ(actual.finished_at, expected.finished_at);
  EXPECT_EQ(actual.expires_at, expected.expires_at);
  EXPECT_EQ(actual.attempts, expected.attempts);
  EXPECT_EQ(actual.output, expected.output);
  EXPECT_EQ(actual.failure, expected.failure);
  EXPECT_EQ(actual.owner, expected.owner);
  EXPECT_EQ(actual.source_url, expected.source_url);
  EXPECT_EQ(actual.callback_url, expected.callback_url);
  EXPECT_EQ(actual.webhook, expected.webhook);
  EXPECT_EQ(actual.batch_id, expected.batch_id);
  EXPECT_EQ(actual.input_id, expected.input_id);
  EXPECT_EQ(actual.variant, expected.variant);
  EXPECT_EQ(actual.result_id, expected.result_id);
  EXPECT_EQ(actual.content_key, expected.content_key);
}

template <class Backend>
class TaskContractFixture : public ::testing::Test {
 protected:
  void SetUp() override { use_backend({}); }

  // Replaces the backend with a fresh, empty one made with `options`.
  void use_backend(const TaskBackendOptions& options) {
    backend_.reset();
    backend_ = Backend::make(options);
    ASSERT_NE(backend_, nullptr);
  }

  Backend& backend() { return *backend_; }
  tasks::TaskStore& store() { return backend_->store(); }
  tasks::TaskQueue& queue() { return backend_->queue(); }
  tasks::WorkerRegistry& workers() { return backend_->workers(); }
  tasks::WorkerControls& controls() { return backend_->controls(); }
  tasks::WebhookOutbox& webhooks() { return backend_->webhooks(); }

  // Creates a pending task and returns it.
  core::TaskRecord create(core::Priority priority = core::Priority::normal,
                          core::TimePoint expires_at = core::now() + 1h) {
    core::TaskRecord task = pending_task(priority, expires_at);
    auto created = store().create(task);
    EXPECT_TRUE(created.ok()) << created.error().log_message();
    return task;
  }

  // A lease that must be there at once.
  tasks::Lease lease_now(const std::string& consumer = "worker-1") {
    auto leased = queue().lease(consumer, 0ms);
    EXPECT_TRUE(leased.ok()) << leased.error().log_message();
    if (!leased.ok() || !leased->has_value()) {
      ADD_FAILURE() << "expected a task to lease";
      return tasks::Lease{.task_id = core::TaskId::generate(), .token = ""};
    }
    return **leased;
  }

  // True when nothing can be leased right now.
  bool nothing_to_lease() {
    auto leased = queue().lease("probe", 0ms);
    EXPECT_TRUE(leased.ok()) << leased.error().log_message();
    return leased.ok() && !leased->has_value();
  }

  std::uint64_t depth_total() {
    auto depth = queue().depth();
    EXPECT_TRUE(depth.ok()) << depth.error().log_message();
    return depth.ok() ? depth->total() : 0;
  }

  std::optional<core::TaskRecord> get(const core::TaskId& id) {
    auto found = store().get(id);
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    if (!found.ok()) return std::nullopt;
    return *found;
  }

 private:
  std::unique_ptr<Backend> backend_;
};

}  // namespace image_resize::contract
