#pragma once
// The HTTP routes' TaskStore in the fault-injecting build: it SIGKILLs its own process right after
// an upload with the Idempotency-Key kFaultKillAfterStoringKey is stored, so that a test can
// retry an upload whose answer never left the server.

#include "tasks/forwarding_task_store.h"

namespace image_resize::testing {

class KillingTaskStore final : public tasks::ForwardingTaskStore {
 public:
  using ForwardingTaskStore::ForwardingTaskStore;

  core::Result<std::optional<core::IdempotentAnswer>> create_answered(
      const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
      const std::vector<core::TaskRecord>& tasks) override;
};

}  // namespace image_resize::testing
