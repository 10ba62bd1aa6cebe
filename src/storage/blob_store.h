#pragma once
// Port: where uploaded inputs and resized results live (files under --data-dir; a shared volume
// in the scaled-out mode). Thread safety: every method may be called from any thread at once.
// Calls block on I/O: never call them on an I/O thread.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/task_id.h"
#include "core/unique_fd.h"

namespace image_resize::storage {

enum class BlobKind { input, result };

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores the bytes durably (flushed to disk before returning ok) and atomically: a reader sees
  // either the old blob or the whole new one, never part of it. Replaces an existing blob.
  virtual core::Status put(BlobKind kind, const core::TaskId& id, std::string_view bytes) = 0;
  // The whole blob, or nullopt when there is none.
  virtual core::Result<std::optional<std::string>> get(BlobKind kind, const core::TaskId& id) = 0;
  // The blob's file opened read-only, or nullopt when there is none: for a reader that hands the
  // file on (a worker passes its input to the imaging process) rather than copy its bytes. The
  // file stays whole while open: a put replaces it by rename, a remove only unlinks it.
  virtual core::Result<std::optional<core::UniqueFd>> open_for_reading(BlobKind kind,
                                                                       const core::TaskId& id) = 0;
  // Removing a blob that does not exist is ok.
  virtual core::Status remove(BlobKind kind, const core::TaskId& id) = 0;
};

}  // namespace image_resize::storage
