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

// Removes the blob `key` of `kind` that `task` needs no more; when it may be shared, only once
// `release` (the store's release of `task` from its users) says no task uses it any more.
template <class Release>
void release_blob(storage::BlobStore& blobs, storage::BlobKind kind, const core::TaskId& key,
                  const core::TaskRecord& task, bool shared, Release release) {
  if (shared) {
    auto unused = release();
    if (!unused.ok()) {
      core::log::warn("shared blob release failed",
                      {{"task_id", task.id.str()}, {"error", unused.error().log_message()}});
      return;
    }
    if (!*unused) return;
  }
  remove_blob(blobs, kind, key, task.id);
}

}  // namespace

void release_input(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                   const core::TaskRecord& task) {
  release_blob(blobs, storage::BlobKind::input, task.input_key(), task, task.input_id.has_value(),
               [&] { return tasks.release_input(*task.input_id, task.id); });
}

void release_result(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                    const core::TaskRecord& task) {
  release_blob(blobs, storage::BlobKind::result, task.result_key(), task,
               task.result_id || !task.content_key.empty(),
               [&] { return tasks.release_result(task.result_key(), task.id); });
}

core::Result<bool> remove_task(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                               const core::TaskRecord& task) {
  auto existed = tasks.remove(task.id);
  if (!existed.ok() || !*existed) return existed;
  release_result(tasks, blobs, task);
  release_input(tasks, blobs, task);
  return true;
}

void remove_expired_blobs(storage::BlobStore& blobs, const tasks::ExpiredTask& task) {
  remove_blob(blobs, storage::BlobKind::input, task.id, task.id);
  if (task.result) remove_blob(blobs, storage::BlobKind::result, *task.result, task.id);
}

void remove_batch_inputs(storage::BlobStore& blobs, const core::BatchRecord& batch) {
  for (const core::BatchFile& file : batch.files) {
    remove_blob(blobs, storage::BlobKind::input, file.input_id, batch.id);
  }
}

}  // namespace image_resize::lifecycle
