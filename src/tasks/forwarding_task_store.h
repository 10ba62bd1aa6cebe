#pragma once
// A TaskStore in front of another that passes every call through: the base of a decorator that
// changes a few of them (FinishedTaskCache; the tests' fault-injecting build).
// Thread safety: as the inner store's.

#include "tasks/task_store.h"

namespace image_resize::tasks {

class ForwardingTaskStore : public TaskStore {
 public:
  explicit ForwardingTaskStore(TaskStore& inner) : inner_(inner) {}

  core::Status create(const core::TaskRecord& task) override { return inner_.create(task); }
  core::Status create_batch(const core::BatchRecord& batch,
                            const std::vector<core::TaskRecord>& tasks) override {
    return inner_.create_batch(batch, tasks);
  }
  core::Result<std::optional<core::IdempotentAnswer>> create_answered(
      const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
      const std::vector<core::TaskRecord>& tasks) override {
    return inner_.create_answered(answer, batch, tasks);
  }
  core::Result<std::optional<core::IdempotentAnswer>> find_answer(std::string_view owner,
                                                                  std::string_view key,
                                                                  core::TimePoint now) override {
    return inner_.find_answer(owner, key, now);
  }
  core::Result<std::size_t> remove_expired_answers(core::TimePoint now,
                                                   std::size_t limit) override {
    return inner_.remove_expired_answers(now, limit);
  }
  core::Result<std::optional<core::BatchRecord>> get_batch(const core::TaskId& id) override {
    return inner_.get_batch(id);
  }
  core::Result<bool> remove_batch(const core::BatchRecord& batch) override {
    return inner_.remove_batch(batch);
  }
  core::Result<std::vector<core::BatchRecord>> remove_expired_batches(core::TimePoint now,
                                                                      std::size_t limit) override {
    return inner_.remove_expired_batches(now, limit);
  }
  core::Result<std::vector<core::BatchRecord>> recent_batches(std::size_t limit) override {
    return inner_.recent_batches(limit);
  }
  core::Result<bool> release_input(const core::TaskId& input, const core::TaskId& task) override {
    return inner_.release_input(input, task);
  }
  core::Result<std::optional<ReusableResult>> find_result(const std::string& content_key) override {
    return inner_.find_result(content_key);
  }
  core::Result<bool> release_result(const core::TaskId& result, const core::TaskId& task) override {
    return inner_.release_result(result, task);
  }
  core::Result<std::optional<core::TaskRecord>> get(const core::TaskId& id) override {
    return inner_.get(id);
  }
  bool reads_in_place() const override { return inner_.reads_in_place(); }
  core::Status mark_started(const core::TaskId& id, int attempt, core::TimePoint at) override {
    return inner_.mark_started(id, attempt, at);
  }
  core::Status mark_succeeded(const core::TaskId& id, const core::TaskOutput& output,
                              core::TimePoint at) override {
    return inner_.mark_succeeded(id, output, at);
  }
  core::Status mark_failed(const core::TaskId& id, const core::TaskFailure& failure,
                           core::TimePoint at) override {
    return inner_.mark_failed(id, failure, at);
  }
  core::Result<bool> remove(const core::TaskId& id) override { return inner_.remove(id); }
  core::Result<std::vector<ExpiredTask>> remove_expired(core::TimePoint now,
                                                        std::size_t limit) override {
    return inner_.remove_expired(now, limit);
  }
  core::Result<std::vector<core::TaskRecord>> recent_failures(std::size_t limit) override {
    return inner_.recent_failures(limit);
  }
  core::Status ping() override { return inner_.ping(); }

 protected:
  TaskStore& inner_;
};

}  // namespace image_resize::tasks
