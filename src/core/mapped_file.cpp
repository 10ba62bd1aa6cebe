#include "core/mapped_file.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace image_resize::core {

namespace {
Error map_error(const char* what, int error_number) {
  return Error::make(
      ErrorCode::internal, "Internal error",
      std::string(what) + " of a file: " + std::system_category().message(error_number));
}
}  // namespace

Result<MappedFile> MappedFile::map(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return map_error("fstat", errno);
  if (!S_ISREG(info.st_mode)) return map_error("map", EINVAL);
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return MappedFile(nullptr, 0);
  // MAP_POPULATE: the decoder reads all of it, so set the page table up in one go.
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (address == MAP_FAILED) return map_error("mmap", errno);
  return MappedFile(address, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : address_(std::exchange(other.address_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (address_ != nullptr) ::munmap(address_, size_);
    address_ = std::exchange(other.address_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (address_ != nullptr) ::munmap(address_, size_);
}

}  // namespace image_resize::core
