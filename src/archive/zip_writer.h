#pragma once
// A ZIP of result images, for a batch's `GET /api/v1/batches/{id}/archive`: written with libzip
// to an unnamed temporary file, then handed back open so that the caller streams it.
//
// Entries are stored, not compressed (ZIP_CM_STORE): the images are compressed already, and a
// stored entry costs no CPU. Each entry's modification time is the time of writing. libzip
// copies an entry's bytes from its file at zip_close() in small buffers, so memory use does not
// grow with the entries' sizes; each entry's file stays open until then (one descriptor per
// entry, the ones the caller passed in).
//
// Entry names are made safe and unique (entry_name.h): `/`, `\`, control characters,
// `: * ? " < > |`, runs of dots and a leading dot each become `_` ("../x.jpg" → "__x.jpg",
// ".env" → "_env"), an empty name becomes "file", and a name met again (letter case aside)
// gets "-2", "-3", ... before its extension ("a.jpg", "a-2.jpg").
//
// Thread safety: write_zip keeps no state between calls; calls may run on any threads at once.
// It blocks on disk I/O: call it off the io_context's threads.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/unique_fd.h"

namespace image_resize::archive {

struct ArchiveEntry {
  std::string name;     // the entry's name in the ZIP (made safe and unique, see above)
  core::UniqueFd file;  // an open, readable file positioned at its start
};

struct ZipFile {
  core::UniqueFd file;  // the finished archive, open for reading, positioned at 0, already unlinked
  std::uint64_t size = 0;
};

// Writes a ZIP holding every entry (each must be a regular file: a directory, pipe or socket is
// refused) to an unnamed temporary file created in `dir` (O_TMPFILE, or mkstemp + unlink where
// the file system lacks it) and returns it open. Zero entries give a valid empty ZIP. The
// entries' descriptors are closed whatever the outcome. On error (an entry unreadable, the disk
// full, ...) nothing is left in `dir`, and the core::Error has code internal and a log_message
// naming libzip's (or the system's) error, and the entry when it is known.
core::Result<ZipFile> write_zip(std::vector<ArchiveEntry> entries,
                                const std::filesystem::path& dir);

}  // namespace image_resize::archive
