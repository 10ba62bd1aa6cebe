#include "storage/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/unique_fd.h"

namespace image_resize::storage::posix {

using core::UniqueFd;

core::Error io_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  std::string detail(what);
  detail += ' ';
  detail += path.string();
  detail += ": ";
  detail += std::system_category().message(error_number);  // strerror is not thread-safe
  return core::Error::make(core::ErrorCode::internal, "Internal storage error", std::move(detail));
}

core::Status write_new_file_durably(const std::filesystem::path& path, std::string_view bytes) {
  UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (file.get() < 0) return io_error("create", path, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(file.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path, errno);
    }
    written += static_cast<std::size_t>(n);
  }
  // fdatasync, not fsync: it still writes the size and blocks the data needs, and skips only
  // timestamps, which nothing reads back.
  if (::fdatasync(file.get()) != 0) return io_error("fdatasync", path, errno);
  if (file.close_now() != 0) return io_error("close", path, errno);
  return {};
}

core::Status fsync_directory(const std::filesystem::path& path) {
  UniqueFd directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return io_error("open directory", path, errno);
  if (::fsync(directory.get()) != 0) return io_error("fsync directory", path, errno);
  return {};
}

core::Status rename_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename to", to, errno);
  return {};
}

namespace {

// open_regular_file, also giving the file's size (from the one fstat that checks its type).
core::Result<std::optional<UniqueFd>> open_regular_file(const std::filesystem::path& path,
                                                        off_t& size) {
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) {
    if (errno == ENOENT) return std::optional<UniqueFd>();
    return io_error("open", path, errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return io_error("stat", path, errno);
  if (!S_ISREG(info.st_mode)) {
    return core::Error::make(core::ErrorCode::internal, "Internal storage error",
                             "read " + path.string() + ": not a regular file");
  }
  size = info.st_size;
  return std::optional<UniqueFd>(std::move(file));
}

}  // namespace

core::Result<std::optional<UniqueFd>> open_regular_file(const std::filesystem::path& path) {
  off_t ignored = 0;
  return open_regular_file(path, ignored);
}

core::Result<std::optional<std::string>> read_whole_file(const std::filesystem::path& path) {
  off_t size = 0;
  auto opened = open_regular_file(path, size);
  if (!opened.ok()) return opened.error();
  if (!opened->has_value()) return std::optional<std::string>();
  const UniqueFd& file = **opened;
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  // Blobs are replaced by rename, never rewritten in place, so the size cannot change under us;
  // stop at end of file anyway rather than trust it.
  while (done < bytes.size()) {
    const ssize_t n = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return std::optional<std::string>(std::move(bytes));
}

core::Result<bool> unlink_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  return io_error("unlink", path, errno);
}

core::Result<bool> make_directory(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0755) == 0) return true;
  const int error_number = errno;
  struct stat info {};
  if (error_number == EEXIST && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return false;
  }
  return io_error("mkdir", path, error_number);
}

}  // namespace image_resize::storage::posix
