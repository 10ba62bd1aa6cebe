#pragma once
// Port: where uploaded inputs and resized results live: files under --data-dir (file/), or an
// S3-compatible bucket shared by machines that share no disk (s3/). Thread safety: every method
// may be called from any thread at once. Calls block on I/O: never call them on an I/O thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/task_id.h"
#include "core/unique_fd.h"

namespace image_resize::storage {

enum class BlobKind { input, result };

// How a blob is to be served straight from the store (a presigned URL, a CDN): stores that
// serve nothing themselves ignore it.
struct BlobAttributes {
  std::string content_type;
  std::string cache_control;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores the bytes durably (on disk, or acknowledged by the object store, before returning ok)
  // and atomically: a reader sees either the old blob or the whole new one, never part of it.
  // Replaces an existing blob.
  virtual core::Status put(BlobKind kind, const core::TaskId& id, std::string_view bytes,
                           const BlobAttributes& attributes = {}) = 0;
  // The whole blob, or nullopt when there is none.
  virtual core::Result<std::optional<std::string>> get(BlobKind kind, const core::TaskId& id) = 0;
  // The blob as a read-only file positioned at its start, or nullopt when there is none: for a
  // reader that hands the file on (a worker passes its input to the imaging process) rather than
  // copy its bytes. The file stays whole while open, whatever happens to the blob meanwhile.
  virtual core::Result<std::optional<core::UniqueFd>> open_for_reading(BlobKind kind,
                                                                       const core::TaskId& id) = 0;
  // Removing a blob that does not exist is ok.
  virtual core::Status remove(BlobKind kind, const core::TaskId& id) = 0;
  // Whether the store can be used now (for /readyz): cheap, and never retried.
  virtual core::Status ping() = 0;
  // A URL that serves the blob without credentials until `valid_for` has passed, with
  // `cache_control` on the answer; nullopt when this store has no such URLs.
  virtual std::optional<std::string> presigned_url(BlobKind kind, const core::TaskId& id,
                                                   std::chrono::seconds valid_for,
                                                   std::string_view cache_control) {
    (void)kind, (void)id, (void)valid_for, (void)cache_control;
    return std::nullopt;
  }
};

}  // namespace image_resize::storage
