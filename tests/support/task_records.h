#pragma once
// Task records as the API creates them, for the store and queue tests of every backend.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/clock.h"
#include "core/task.h"

namespace image_resize::testing {

// A PENDING task of a 640-wide JPEG resize, expiring in an hour unless told otherwise.
inline core::TaskRecord pending_task(core::Priority priority = core::Priority::normal,
                                     core::TimePoint expires_at = core::now() +
                                                                  std::chrono::hours(1)) {
  core::ResizeSpec spec;
  spec.width = 640;
  spec.priority = priority;
  return core::TaskRecord::pending(core::TaskId::generate(), spec, core::ImageFormat::jpeg,
                                   core::now(), expires_at);
}

// One output asked of every file of a batch.
struct BatchVariant {
  std::string name;
  core::Priority priority = core::Priority::normal;
};

// A batch and its tasks as an upload of several files with variants makes them, before
// TaskStore::create_batch: one PENDING task per file × variant (file by file), the variants of
// one file sharing its input, every task expiring with the batch.
struct PendingBatch {
  core::BatchRecord record;
  std::vector<core::TaskRecord> tasks;  // in the order of record.entries
};

inline PendingBatch pending_batch(std::size_t files, const std::vector<BatchVariant>& variants,
                                  core::TimePoint expires_at = core::now() +
                                                               std::chrono::hours(1)) {
  PendingBatch batch{.record = core::BatchRecord{.id = core::TaskId::generate(),
                                                 .owner = "key-batch",
                                                 .created_at = core::now(),
                                                 .expires_at = expires_at,
                                                 .files = {},
                                                 .entries = {}},
                     .tasks = {}};
  for (std::size_t file = 0; file < files; ++file) {
    const core::TaskId input_id = core::TaskId::generate();
    batch.record.files.push_back({"photo " + std::to_string(file) + ".jpg", input_id});
    for (const BatchVariant& variant : variants) {
      core::TaskRecord task = pending_task(variant.priority, expires_at);
      task.owner = batch.record.owner;
      task.batch_id = batch.record.id;
      task.input_id = input_id;
      task.variant = variant.name;
      batch.record.entries.push_back({task.id, file, variant.name});
      batch.tasks.push_back(std::move(task));
    }
  }
  return batch;
}

}  // namespace image_resize::testing
