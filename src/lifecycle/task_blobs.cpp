#include "lifecycle/task_blobs.h"

#include "core/log.h"

namespace image_resize::lifecycle {
namespace {

void remove_blob(storage::BlobStore& blobs, storage::BlobKind kind, const core::TaskId& key,
                 const core::TaskId& task) {
  if (auto status = blobs.remove(kind, key); !status.ok()) {
    core::log::warn("blob removal failed",
                    {{"task_id", task.str()}, {"error", status.error().log_message()}});
  }
}

}  // namespace

void release_input(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                   const core::TaskRecord& task) {
  if (task.input_id) {
    auto unused = tasks.release_input(*task.input_id, task.id);
    if (!unused.ok()) {
      core::log::warn("shared input release failed",
                      {{"task_id", task.id.str()}, {"error", unused.error().log_message()}});
      return;
    }
    if (!*unused) return;
  }
  remove_blob(blobs, storage::BlobKind::input, task.input_key(), task.id);
}

core::Result<bool> remove_task(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                               const core::TaskRecord& task) {
  auto existed = tasks.remove(task.id);
  if (!existed.ok() || !*existed) return existed;
  remove_blob(blobs, storage::BlobKind::result, task.id, task.id);
  release_input(tasks, blobs, task);
  return true;
}

void remove_batch_inputs(storage::BlobStore& blobs, const core::BatchRecord& batch) {
  for (const core::BatchFile& file : batch.files) {
    remove_blob(blobs, storage::BlobKind::input, file.input_id, batch.id);
  }
}

}  // namespace image_resize::lifecycle
