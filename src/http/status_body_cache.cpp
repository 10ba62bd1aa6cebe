#include "http/status_body_cache.h"

#include <functional>

#include "http/messages.h"
#include "http/task_json.h"

namespace image_resize::http {

StatusBodyCache::StatusBodyCache(std::size_t slots) : slots_(slots == 0 ? 1 : slots) {}

std::shared_ptr<const std::string> StatusBodyCache::body_for(const core::TaskRecord& task) {
  if (!core::is_terminal(task.state)) {
    return std::make_shared<const std::string>(dump_json(task_status_json(task)));
  }
  std::optional<Slot>& slot = slots_[std::hash<core::TaskId>{}(task.id) % slots_.size()];
  {
    std::lock_guard lock(mutex_);
    if (slot && slot->task == task) return slot->body;
  }
  // Rendered outside the lock; two threads rendering the same task keep either copy.
  auto body = std::make_shared<const std::string>(dump_json(task_status_json(task)));
  std::lock_guard lock(mutex_);
  slot = Slot{task, body};
  return body;
}

}  // namespace image_resize::http
