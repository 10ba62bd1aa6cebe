#include "archive/zip_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <utility>

#include "archive/entry_name.h"

namespace image_resize::archive {
namespace {

core::Error archive_error(std::string detail) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "zip archive: " + std::move(detail));
}

core::Error system_error(std::string_view what, int error_number) {
  return archive_error(std::string(what) + ": " + std::strerror(error_number));
}

std::string libzip_message(zip_error_t* error) {
  return std::string("libzip: ") + zip_error_strerror(error);
}

// An unnamed file in `dir`: O_TMPFILE where the file system has it, else mkstemp + unlink.
core::Result<core::UniqueFd> open_unnamed_file(const std::filesystem::path& dir) {
  core::UniqueFd fd(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (fd.valid()) return fd;
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    return system_error("cannot create a temporary file in " + dir.string(), errno);
  }
  std::string path = (dir / ".archive-XXXXXX").string();
  fd = core::UniqueFd(::mkostemp(path.data(), O_CLOEXEC));
  if (!fd.valid()) return system_error("mkstemp " + path, errno);
  if (::unlink(path.c_str()) != 0) return system_error("unlink " + path, errno);
  return fd;
}

// The archive's destination for libzip: a zip_source over our unnamed file, written with
// pwrite at libzip's offsets. libzip would otherwise write to a named file of its own.
struct FileSink {
  int fd = -1;
  zip_uint64_t size = 0;          // what the last commit left (0 before one)
  zip_uint64_t written_end = 0;   // during a write
  zip_uint64_t write_offset = 0;  // during a write
  zip_uint64_t read_offset = 0;
  zip_error_t error{};
};

zip_int64_t fail_with(FileSink& sink, int zip_code, int error_number) {
  zip_error_set(&sink.error, zip_code, error_number);
  return -1;
}

zip_int64_t sink_write(FileSink& sink, const void* data, zip_uint64_t length) {
  const auto* bytes = static_cast<const char*>(data);
  for (zip_uint64_t done = 0; done < length;) {
    ssize_t n = ::pwrite(sink.fd, bytes + done, length - done,
                         static_cast<off_t>(sink.write_offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_with(sink, ZIP_ER_WRITE, errno);
    done += static_cast<zip_uint64_t>(n);
  }
  sink.write_offset += length;
  sink.written_end = std::max(sink.written_end, sink.write_offset);
  return static_cast<zip_int64_t>(length);
}

zip_int64_t sink_read(FileSink& sink, void* data, zip_uint64_t length) {
  length = std::min(length, sink.size - std::min(sink.size, sink.read_offset));
  ssize_t n = ::pread(sink.fd, data, length, static_cast<off_t>(sink.read_offset));
  if (n < 0) return fail_with(sink, ZIP_ER_READ, errno);
  sink.read_offset += static_cast<zip_uint64_t>(n);
  return n;
}

zip_int64_t sink_truncate(FileSink& sink) {
  if (::ftruncate(sink.fd, 0) != 0) return fail_with(sink, ZIP_ER_WRITE, errno);
  sink.size = sink.written_end = sink.write_offset = 0;
  return 0;
}

zip_int64_t sink_callback(void* user, void* data, zip_uint64_t length, zip_source_cmd_t cmd) {
  auto& sink = *static_cast<FileSink*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN: sink.read_offset = 0; return 0;
    case ZIP_SOURCE_READ: return sink_read(sink, data, length);
    case ZIP_SOURCE_CLOSE: return 0;
    case ZIP_SOURCE_SEEK: {
      zip_int64_t offset =
          zip_source_seek_compute_offset(sink.read_offset, sink.size, data, length, &sink.error);
      if (offset >= 0) sink.read_offset = static_cast<zip_uint64_t>(offset);
      return offset < 0 ? -1 : 0;
    }
    case ZIP_SOURCE_TELL: return static_cast<zip_int64_t>(sink.read_offset);
    case ZIP_SOURCE_STAT: {
      auto* st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, length, &sink.error);
      if (st == nullptr) return -1;
      zip_stat_init(st);
      st->size = sink.size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(*st);
    }
    case ZIP_SOURCE_BEGIN_WRITE: return sink_truncate(sink);
    case ZIP_SOURCE_WRITE: return sink_write(sink, data, length);
    case ZIP_SOURCE_SEEK_WRITE: {
      zip_int64_t offset = zip_source_seek_compute_offset(sink.write_offset, sink.written_end, data,
                                                          length, &sink.error);
      if (offset >= 0) sink.write_offset = static_cast<zip_uint64_t>(offset);
      return offset < 0 ? -1 : 0;
    }
    case ZIP_SOURCE_TELL_WRITE: return static_cast<zip_int64_t>(sink.write_offset);
    case ZIP_SOURCE_COMMIT_WRITE: sink.size = sink.written_end; return 0;
    case ZIP_SOURCE_ROLLBACK_WRITE:
    case ZIP_SOURCE_REMOVE: return sink_truncate(sink);
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&sink.error, data, length);
    case ZIP_SOURCE_FREE: return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(
          ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
          ZIP_SOURCE_STAT, ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
          ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
          ZIP_SOURCE_REMOVE, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default: return fail_with(sink, ZIP_ER_OPNOTSUPP, 0);
  }
}

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;

// Adds one entry, stored and dated `now`. libzip reads it at zip_close() from a stdio stream
// over a duplicate of its descriptor (from offset 0 to the end: length -1), and closes that
// stream; the caller's descriptor is closed here, so no more descriptors are open than were
// passed in.
core::Status add_entry(zip_t* archive, const std::string& name, core::UniqueFd file,
                       std::time_t now) {
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return system_error("entry " + name + ": fstat", errno);
  if (!S_ISREG(st.st_mode)) return archive_error("entry " + name + ": not a regular file");
  int copy = ::fcntl(file.get(), F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return system_error("entry " + name + ": dup", errno);
  file.reset();
  FILE* stream = ::fdopen(copy, "rb");
  if (stream == nullptr) {
    int error_number = errno;
    ::close(copy);
    return system_error("entry " + name + ": not readable", error_number);
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_filep_create(stream, 0, -1, &error);
  if (source == nullptr) {
    std::fclose(stream);
    std::string message = libzip_message(&error);
    zip_error_fini(&error);
    return archive_error("entry " + name + ": " + message);
  }
  zip_error_fini(&error);
  zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_GUESS);
  if (index < 0) {
    zip_source_free(source);
    return archive_error("entry " + name + ": " + libzip_message(zip_get_error(archive)));
  }
  auto i = static_cast<zip_uint64_t>(index);
  if (zip_set_file_compression(archive, i, ZIP_CM_STORE, 0) != 0 ||
      zip_file_set_mtime(archive, i, now, 0) != 0) {
    return archive_error("entry " + name + ": " + libzip_message(zip_get_error(archive)));
  }
  return {};
}

core::Status write_entries(std::vector<ArchiveEntry>& entries, FileSink& sink) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_function_create(sink_callback, &sink, &error);
  ZipPtr archive(source == nullptr
                     ? nullptr
                     : zip_open_from_source(source, ZIP_CREATE | ZIP_TRUNCATE, &error));
  if (archive == nullptr) {
    if (source != nullptr) zip_source_free(source);
    std::string message = libzip_message(&error);
    zip_error_fini(&error);
    return archive_error("open: " + message);
  }
  zip_error_fini(&error);
  EntryNames names;
  std::time_t now = std::time(nullptr);
  for (auto& entry : entries) {
    core::Status added =
        add_entry(archive.get(), names.claim(entry.name), std::move(entry.file), now);
    if (!added) return added;
  }
  if (zip_close(archive.get()) != 0) {
    return archive_error("write: " + libzip_message(zip_get_error(archive.get())));
  }
  (void)archive.release();
  return {};
}

// The end-of-central-directory record alone: an archive with no entry. libzip writes nothing
// for one (it removes the file instead).
core::Status write_empty_zip(int fd) {
  constexpr char kEmptyZip[22] = {'P', 'K', 5, 6};
  if (::pwrite(fd, kEmptyZip, sizeof(kEmptyZip), 0) != static_cast<ssize_t>(sizeof(kEmptyZip))) {
    return system_error("write", errno);
  }
  return {};
}

}  // namespace

core::Result<ZipFile> write_zip(std::vector<ArchiveEntry> entries,
                                const std::filesystem::path& dir) {
  core::Result<core::UniqueFd> file = open_unnamed_file(dir);
  if (!file) return file.error();
  FileSink sink;
  sink.fd = file->get();
  zip_error_init(&sink.error);
  core::Status written = entries.empty() ? write_empty_zip(sink.fd) : write_entries(entries, sink);
  zip_error_fini(&sink.error);
  if (!written) return written.error();
  struct stat st {};
  if (::fstat(sink.fd, &st) != 0) return system_error("fstat", errno);
  if (::lseek(sink.fd, 0, SEEK_SET) != 0) return system_error("lseek", errno);
  return ZipFile{std::move(*file), static_cast<std::uint64_t>(st.st_size)};
}

}  // namespace image_resize::archive
