#pragma once
// Bytes kept in an anonymous in-memory file (memfd_create) instead of the heap: a download goes
// straight to the kernel's page cache, and closing the file gives every byte back at once,
// where a heap buffer grown to tens of MiB stays resident in malloc's arenas after it is freed.
// Thread safety: one owner at a time.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/mapped_file.h"
#include "core/result.h"
#include "core/unique_fd.h"

namespace image_resize::storage {

class MemoryFile {
 public:
  // `name` shows in /proc/<pid>/fd, for whoever debugs.
  static core::Result<MemoryFile> create(const std::string& name);

  core::Status append(std::string_view bytes);
  // Empties the file (a transfer that starts again).
  core::Status clear();
  std::uint64_t size() const { return size_; }
  // The first `count` bytes, or all of them when there are fewer.
  core::Result<std::string> read_prefix(std::size_t count) const;
  core::Result<core::MappedFile> map() const;
  // The descriptor, positioned at the start, for a reader that takes the file over.
  core::Result<core::UniqueFd> release();

 private:
  explicit MemoryFile(core::UniqueFd fd) : fd_(std::move(fd)) {}

  core::UniqueFd fd_;
  std::uint64_t size_ = 0;
};

}  // namespace image_resize::storage
