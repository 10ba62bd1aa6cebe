#pragma once
// A file mapped read-only into memory, unmapped when destroyed: how an input reaches the decoder
// from the page cache, and a fetched image the blob store, without being read into (and held in)
// a buffer of its own. The file must
// not shrink while it is mapped (blobs are replaced by rename, never rewritten).

#include <string_view>

#include "core/result.h"

namespace image_resize::core {

class MappedFile {
 public:
  // Maps all of the open file `fd` (which the caller keeps and may close at once).
  // ErrorCode::internal when it cannot be mapped.
  static Result<MappedFile> map(int fd);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(address_), size_}; }

 private:
  MappedFile(void* address, std::size_t size) : address_(address), size_(size) {}
  void* address_ = nullptr;  // null for an empty file, which mmap cannot map
  std::size_t size_ = 0;
};

}  // namespace image_resize::core
