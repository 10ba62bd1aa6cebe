#include "storage/file/fs_blob_store.h"

#include <unistd.h>

#include <atomic>
#include <random>

#include "storage/posix_file.h"

namespace image_resize::storage {
namespace {

constexpr std::size_t kShardChars = 2;

// A name no other writer (thread or process) picks at the same time: the pid, a per-process
// counter and a random number, so that two puts of one id never share a temporary file.
std::string temporary_name(const core::TaskId& id) {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return id.str() + ".tmp." + std::to_string(::getpid()) + "." +
         std::to_string(counter.fetch_add(1)) + "." + std::to_string(engine() % 1000000);
}

}  // namespace

core::Result<std::unique_ptr<FsBlobStore>> FsBlobStore::open(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) return posix::io_error("create directory", root, error.value());
  auto store = std::unique_ptr<FsBlobStore>(new FsBlobStore(root));
  for (BlobKind kind : {BlobKind::input, BlobKind::result}) {
    auto created = posix::make_directory(store->kind_directory(kind));
    if (!created.ok()) return created.error();
    if (auto shards = store->make_shards(kind); !shards.ok()) return shards.error();
  }
  if (auto synced = posix::fsync_directory(root); !synced.ok()) return synced.error();
  return store;
}

core::Status FsBlobStore::make_shards(BlobKind kind) const {
  // Every shard up front: otherwise the first put into each of the 512 costs a mkdir and a
  // directory fsync, which a new server pays on most of its first few hundred tasks.
  constexpr std::string_view kHex = "0123456789abcdef";
  const std::filesystem::path directory = kind_directory(kind);
  bool made_any = false;
  for (char high : kHex) {
    for (char low : kHex) {
      auto made = posix::make_directory(directory / std::string{high, low});
      if (!made.ok()) return made.error();
      made_any = made_any || *made;
    }
  }
  return made_any ? posix::fsync_directory(directory) : core::Status{};
}

std::filesystem::path FsBlobStore::kind_directory(BlobKind kind) const {
  return root_ / (kind == BlobKind::input ? "inputs" : "results");
}

std::filesystem::path FsBlobStore::path_of(BlobKind kind, const core::TaskId& id) const {
  return kind_directory(kind) / id.str().substr(0, kShardChars) / id.str();
}

core::Status FsBlobStore::put(BlobKind kind, const core::TaskId& id, std::string_view bytes,
                              const BlobAttributes&) {
  const std::filesystem::path target = path_of(kind, id);
  const core::Status stored = replace_durably(target, id, bytes);
  if (stored.ok()) return stored;
  // open() made the shards; one gone since is made again here. A put tries the write first: while
  // its shard exists (the usual case), a put costs no mkdir.
  const std::filesystem::path shard = target.parent_path();
  auto created = posix::make_directory(shard);
  if (!created.ok()) return created.error();
  // A new shard is itself an entry of the kind directory: make that entry durable too, also when
  // another put made it since our first try (its sync may not have finished).
  if (auto synced = posix::fsync_directory(shard.parent_path()); !synced.ok()) return synced;
  return replace_durably(target, id, bytes);
}

core::Status FsBlobStore::replace_durably(const std::filesystem::path& target,
                                          const core::TaskId& id, std::string_view bytes) {
  const std::filesystem::path shard = target.parent_path();
  const std::filesystem::path temporary = shard / temporary_name(id);
  auto written = posix::write_new_file_durably(temporary, bytes);
  if (written.ok()) written = posix::rename_file(temporary, target);
  if (!written.ok()) {
    (void)posix::unlink_file(temporary);  // best effort; the first error is the one to report
    return written;
  }
  return posix::fsync_directory(shard);
}

core::Result<std::optional<std::string>> FsBlobStore::get(BlobKind kind, const core::TaskId& id) {
  return posix::read_whole_file(path_of(kind, id));
}

core::Result<std::optional<core::UniqueFd>> FsBlobStore::open_for_reading(BlobKind kind,
                                                                          const core::TaskId& id) {
  return posix::open_regular_file(path_of(kind, id));
}

core::Status FsBlobStore::remove(BlobKind kind, const core::TaskId& id) {
  auto removed = posix::unlink_file(path_of(kind, id));
  if (!removed.ok()) return removed.error();
  return {};
}

core::Status FsBlobStore::ping() {
  std::error_code error;
  if (std::filesystem::is_directory(root_, error)) return {};
  return posix::io_error("stat", root_, error ? error.value() : ENOTDIR);
}

}  // namespace image_resize::storage
