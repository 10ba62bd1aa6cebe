#pragma once
// A batch: the tasks one upload created when it asked for several outputs (variants, presets) or
// sent several files. Each file × variant is its own task; the outputs of one file share its
// input blob (keyed by BatchFile::input_id), which goes when the last of them ends.

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/task_id.h"

namespace image_resize::core {

struct BatchFile {
  std::string name;  // as the client sent it (or "file-<n>" when it sent none)
  TaskId input_id;   // the key of the file's input blob
  bool operator==(const BatchFile&) const = default;
};

struct BatchEntry {
  TaskId task_id;
  std::size_t file = 0;  // index into BatchRecord::files
  std::string variant;   // empty when the upload named no variants
  bool operator==(const BatchEntry&) const = default;
};

struct BatchRecord {
  TaskId id;
  std::string owner;  // the API key name that created it; empty when keys are off
  TimePoint created_at;
  TimePoint expires_at;  // the batch's tasks expire at the same moment
  std::vector<BatchFile> files;
  std::vector<BatchEntry> entries;  // in the order of the upload's answer
  bool operator==(const BatchRecord&) const = default;
};

}  // namespace image_resize::core
