#pragma once
// What becomes of a task's blobs when it ends or is deleted: its result goes with it once no task
// reads it (tasks that reuse a result share it), and its input once no task needs it (a batch's
// outputs of one file share theirs). Shared by the
// workers (a task ended) and the HTTP routes (a task or a batch deleted).
// Thread safety: as the stores'.

#include "core/batch.h"
#include "core/result.h"
#include "core/task.h"
#include "storage/blob_store.h"
#include "tasks/task_store.h"

namespace image_resize::lifecycle {

// `task` needs its input no more: removes it, or, when shared, once no other task needs it.
// Failures are logged with the task id (a leftover input goes when its batch expires).
void release_input(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                   const core::TaskRecord& task);

// `task` reads its result no more (it was deleted, or its worker lost it to a DELETE): removes
// it, or, when it may be shared (a content key, or a reused result), once no other task reads it.
void release_result(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                    const core::TaskRecord& task);

// Deletes the task (cancelling it if PENDING), then its result as release_result and its input
// as release_input.
// The record goes first, so that a worker finishing it now records nothing. false when it was
// gone already.
core::Result<bool> remove_task(tasks::TaskStore& tasks, storage::BlobStore& blobs,
                               const core::TaskRecord& task);

// Removes the blobs of a task the store expired (TaskStore::remove_expired).
void remove_expired_blobs(storage::BlobStore& blobs, const tasks::ExpiredTask& task);

// Removes the inputs of a batch that is gone (deleted, or expired).
void remove_batch_inputs(storage::BlobStore& blobs, const core::BatchRecord& batch);

}  // namespace image_resize::lifecycle
