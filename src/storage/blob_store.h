#pragma once
// Port: where uploaded inputs and resized results live (files under --data-dir; a shared volume
// in the scaled-out mode). Thread safety: every method may be called from any thread at once.
// Calls block on I/O: never call them on an I/O thread.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/task_id.h"

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
  // Removing a blob that does not exist is ok.
  virtual core::Status remove(BlobKind kind, const core::TaskId& id) = 0;
};

}  // namespace image_resize::storage
