#include "killing_task_store.h"

#include <csignal>

#include "fault_markers.h"

namespace image_resize::testing {

core::Result<std::optional<core::IdempotentAnswer>> KillingTaskStore::create_answered(
    const core::IdempotentAnswer& answer, const std::optional<core::BatchRecord>& batch,
    const std::vector<core::TaskRecord>& tasks) {
  auto created = inner_.create_answered(answer, batch, tasks);
  if (created.ok() && !*created && answer.key == kFaultKillAfterStoringKey) std::raise(SIGKILL);
  return created;
}

}  // namespace image_resize::testing
