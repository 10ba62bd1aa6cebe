#pragma once
// BlobStore on a local (or shared) filesystem: <root>/inputs/<ab>/<id> and
// <root>/results/<ab>/<id>, where <ab> is the first two hex digits of the id, so that no
// directory holds more than about 1/256 of the blobs.
//
// put() writes a temporary file next to the target, fsyncs it, renames it over the target and
// fsyncs the directory: a reader sees the old blob or the whole new one, and once put() returns
// the blob survives a crash or SIGKILL. Several processes may share one root (api + worker on a
// shared volume): every step is a single atomic filesystem operation, no lock is held.
// Thread safety: stateless after construction; any method from any thread at once.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/blob_store.h"

namespace image_resize::storage {

class FsBlobStore final : public BlobStore {
 public:
  // Creates <root>, <root>/inputs and <root>/results and their 256 shards each when missing. Fails
  // (ErrorCode::internal) when they cannot be created, e.g. <root> is a file or not writable.
  static core::Result<std::unique_ptr<FsBlobStore>> open(const std::filesystem::path& root);

  // `attributes` are not kept: files are served by the result route, which sets its own headers.
  core::Status put(BlobKind kind, const core::TaskId& id, std::string_view bytes,
                   const BlobAttributes& attributes = {}) override;
  core::Result<std::optional<std::string>> get(BlobKind kind, const core::TaskId& id) override;
  core::Result<std::optional<core::UniqueFd>> open_for_reading(BlobKind kind,
                                                               const core::TaskId& id) override;
  core::Status remove(BlobKind kind, const core::TaskId& id) override;
  // Ok while the root is a directory.
  core::Status ping() override;

  // Where the blob lives (or would live), for logs and tests.
  std::filesystem::path path_of(BlobKind kind, const core::TaskId& id) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  explicit FsBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path kind_directory(BlobKind kind) const;
  // The 256 shards of `kind`, those missing made and made durable.
  core::Status make_shards(BlobKind kind) const;
  // Writes a temporary file in target's shard, renames it over `target`, syncs the shard.
  static core::Status replace_durably(const std::filesystem::path& target, const core::TaskId& id,
                                      std::string_view bytes);

  // Constant after construction.
  const std::filesystem::path root_;
};

}  // namespace image_resize::storage
