#pragma once
// The few POSIX file operations FsBlobStore needs for a crash-safe write (open, write all,
// fsync, rename, fsync the directory), each turned into a core::Status that names the path and
// the errno text. std::filesystem cannot fsync, so this is the one place that talks to the OS.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/unique_fd.h"

namespace image_resize::storage::posix {

// An internal error "<what> <path>: <errno text>" for the errno value `error_number`.
core::Error io_error(std::string_view what, const std::filesystem::path& path, int error_number);

// Creates `path` (which must not exist), writes all of `bytes`, fdatasyncs and closes it.
core::Status write_new_file_durably(const std::filesystem::path& path, std::string_view bytes);
// Flushes a directory's entries (a rename or a new file in it) to disk.
core::Status fsync_directory(const std::filesystem::path& path);
// rename(2): atomically replaces `to`.
core::Status rename_file(const std::filesystem::path& from, const std::filesystem::path& to);
// The file opened read-only, or nullopt when it does not exist; an error when it is not a
// regular file.
core::Result<std::optional<core::UniqueFd>> open_regular_file(const std::filesystem::path& path);
// The whole file, or nullopt when it does not exist.
core::Result<std::optional<std::string>> read_whole_file(const std::filesystem::path& path);
// unlink(2); true when a file was removed, false when there was none.
core::Result<bool> unlink_file(const std::filesystem::path& path);
// mkdir(2) of one level; true when created, false when it already was a directory.
core::Result<bool> make_directory(const std::filesystem::path& path);

}  // namespace image_resize::storage::posix
