#include "storage/memory_file.h"

#include <sys/mman.h>  // memfd_create
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace image_resize::storage {
namespace {

core::Error memfd_error(std::string_view what) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "memfd " + std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

core::Result<MemoryFile> MemoryFile::create(const std::string& name) {
  core::UniqueFd fd(::memfd_create(name.c_str(), MFD_CLOEXEC));
  if (!fd.valid()) return memfd_error("create");
  return MemoryFile(std::move(fd));
}

core::Status MemoryFile::append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_.get(), bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return memfd_error("write");
    bytes.remove_prefix(static_cast<std::size_t>(written));
    size_ += static_cast<std::uint64_t>(written);
  }
  return {};
}

core::Status MemoryFile::clear() {
  if (::ftruncate(fd_.get(), 0) != 0 || ::lseek(fd_.get(), 0, SEEK_SET) < 0) {
    return memfd_error("truncate");
  }
  size_ = 0;
  return {};
}

core::Result<std::string> MemoryFile::read_prefix(std::size_t count) const {
  std::string prefix(std::min<std::uint64_t>(count, size_), '\0');
  std::size_t done = 0;
  while (done < prefix.size()) {
    const ssize_t n =
        ::pread(fd_.get(), prefix.data() + done, prefix.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return memfd_error("read");
    done += static_cast<std::size_t>(n);
  }
  return prefix;
}

core::Result<core::MappedFile> MemoryFile::map() const { return core::MappedFile::map(fd_.get()); }

core::Result<core::UniqueFd> MemoryFile::release() {
  if (::lseek(fd_.get(), 0, SEEK_SET) < 0) return memfd_error("seek");
  size_ = 0;
  return std::move(fd_);
}

}  // namespace image_resize::storage
