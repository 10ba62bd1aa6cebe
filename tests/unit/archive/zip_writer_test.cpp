// write_zip on real files: the archive read back with libzip (and `unzip -t` where installed)
// holds every entry's bytes, stored, under safe and unique names; an empty archive is valid; a
// failed one leaves nothing behind; and memory does not grow with the entries' sizes.
#include "archive/zip_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace image_resize::archive {
namespace {

namespace fs = std::filesystem;

// `bytes` written to a new file in `dir`, opened again read-only.
core::UniqueFd make_file(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_TRUE(fd.valid()) << path;
  return fd;
}

std::size_t count_open_fds() {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), {}));
}

bool is_empty_dir(const fs::path& dir) {
  return fs::directory_iterator(dir) == fs::directory_iterator();
}

// The archive read back with libzip (from a duplicate of its descriptor, which libzip owns).
struct ZipReader {
  zip_t* archive = nullptr;
  explicit ZipReader(const ZipFile& zip) {
    int error = 0;
    int copy = ::dup(zip.file.get());
    archive = zip_fdopen(copy, ZIP_CHECKCONS, &error);
    if (archive == nullptr) ::close(copy);
    EXPECT_NE(archive, nullptr) << "zip_fdopen error " << error;
  }
  ~ZipReader() {
    if (archive != nullptr) zip_discard(archive);
  }
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
      names.emplace_back(zip_get_name(archive, static_cast<zip_uint64_t>(i), 0));
    }
    return names;
  }
  zip_stat_t stat(zip_uint64_t index) const {
    zip_stat_t st;
    EXPECT_EQ(zip_stat_index(archive, index, 0, &st), 0);
    return st;
  }
  std::string bytes(zip_uint64_t index) const {
    zip_file_t* file = zip_fopen_index(archive, index, 0);
    EXPECT_NE(file, nullptr);
    if (file == nullptr) return {};
    std::string bytes;
    char buffer[65536];
    for (zip_int64_t n; (n = zip_fread(file, buffer, sizeof(buffer))) > 0;) {
      bytes.append(buffer, static_cast<std::size_t>(n));
    }
    zip_fclose(file);
    return bytes;
  }
};

// The archive's bytes, copied out to `path` (for `unzip`, which cannot see our descriptor).
void copy_out(const ZipFile& zip, const fs::path& path) {
  std::string bytes(zip.size, '\0');
  ASSERT_EQ(::pread(zip.file.get(), bytes.data(), bytes.size(), 0),
            static_cast<ssize_t>(bytes.size()));
  std::ofstream(path, std::ios::binary) << bytes;
}

bool have_unzip() { return std::system("command -v unzip >/dev/null 2>&1") == 0; }

TEST(ZipWriter, StoresEveryEntryByteForByte) {
  testing::TempDir inputs;
  testing::TempDir out;
  const std::vector<std::string> fixtures = {"photo.jpg", "alpha.png", "photo.webp"};
  const std::size_t fds_before = count_open_fds();
  std::vector<ArchiveEntry> entries;
  std::vector<std::string> originals;
  for (const auto& fixture : fixtures) {
    originals.push_back(testing::read_file(testing::fixture_image(fixture)));
    ASSERT_FALSE(originals.back().empty());
    entries.push_back({"photo-" + fixture, make_file(inputs.path(), fixture, originals.back())});
  }

  auto zip = write_zip(std::move(entries), out.path());
  ASSERT_TRUE(zip.ok()) << zip.error().log_message();
  EXPECT_TRUE(is_empty_dir(out.path())) << "the archive has no name";
  EXPECT_EQ(count_open_fds(), fds_before + 1) << "only the archive's descriptor is left open";
  EXPECT_EQ(::lseek(zip->file.get(), 0, SEEK_CUR), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(::lseek(zip->file.get(), 0, SEEK_END)), zip->size);
  ASSERT_EQ(::lseek(zip->file.get(), 0, SEEK_SET), 0);

  ZipReader reader(*zip);
  ASSERT_NE(reader.archive, nullptr);
  EXPECT_EQ(reader.names(),
            (std::vector<std::string>{"photo-photo.jpg", "photo-alpha.png", "photo-photo.webp"}));
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  for (zip_uint64_t i = 0; i < fixtures.size(); ++i) {
    const zip_stat_t st = reader.stat(i);
    EXPECT_EQ(st.comp_method, ZIP_CM_STORE) << st.name;
    EXPECT_EQ(st.size, originals[i].size()) << st.name;
    EXPECT_EQ(st.comp_size, originals[i].size()) << st.name;
    EXPECT_LE(std::abs(static_cast<long>(st.mtime - now)), 120) << st.name << ": dated now";
    EXPECT_TRUE(reader.bytes(i) == originals[i]) << st.name;
  }

  if (!have_unzip()) GTEST_SKIP() << "no unzip installed: the libzip checks above passed";
  copy_out(*zip, inputs.path() / "out.zip");
  const std::string command = "unzip -tqq '" + (inputs.path() / "out.zip").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(ZipWriter, MakesNamesSafeAndUnique) {
  testing::TempDir inputs;
  testing::TempDir out;
  const std::vector<std::string> names = {
      "a.jpg", "a.jpg", "A.JPG", "../../etc/passwd", "/abs.png", ".hidden.png", "dir\\x.png", ""};
  std::vector<ArchiveEntry> entries;
  for (std::size_t i = 0; i < names.size(); ++i) {
    entries.push_back({names[i], make_file(inputs.path(), std::to_string(i), std::to_string(i))});
  }
  auto zip = write_zip(std::move(entries), out.path());
  ASSERT_TRUE(zip.ok()) << zip.error().log_message();
  ZipReader reader(*zip);
  ASSERT_NE(reader.archive, nullptr);
  EXPECT_EQ(reader.names(),
            (std::vector<std::string>{"a.jpg", "a-2.jpg", "A-3.JPG", "____etc_passwd", "_abs.png",
                                      "_hidden.png", "dir_x.png", "file"}));
  for (zip_uint64_t i = 0; i < names.size(); ++i) EXPECT_EQ(reader.bytes(i), std::to_string(i));
}

TEST(ZipWriter, ZeroEntriesGiveAValidEmptyArchive) {
  testing::TempDir out;
  auto zip = write_zip({}, out.path());
  ASSERT_TRUE(zip.ok()) << zip.error().log_message();
  EXPECT_EQ(zip->size, 22u) << "the end-of-central-directory record alone";
  ZipReader reader(*zip);
  ASSERT_NE(reader.archive, nullptr);
  EXPECT_EQ(zip_get_num_entries(reader.archive, 0), 0);
  EXPECT_TRUE(is_empty_dir(out.path()));
  if (!have_unzip()) GTEST_SKIP() << "no unzip installed: the libzip checks above passed";
  testing::TempDir copy;
  copy_out(*zip, copy.path() / "empty.zip");
  // unzip lists an empty archive with exit code 1 ("zipfile is empty"), not 9 (not a zipfile).
  const std::string command =
      "unzip -l '" + (copy.path() / "empty.zip").string() + "' >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 1) << command;
}

// An entry that cannot be read fails the whole archive, and nothing is left in the directory.
void expect_fails_cleanly(core::UniqueFd unreadable, const char* what) {
  SCOPED_TRACE(what);
  testing::TempDir inputs;
  testing::TempDir out;
  std::vector<ArchiveEntry> entries;
  entries.push_back({"good.jpg", make_file(inputs.path(), "good", "good bytes")});
  entries.push_back({"bad.jpg", std::move(unreadable)});
  const std::size_t fds_before = count_open_fds();
  auto zip = write_zip(std::move(entries), out.path());
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, core::ErrorCode::internal);
  EXPECT_NE(zip.error().log_message().find("bad.jpg"), std::string::npos)
      << zip.error().log_message();
  EXPECT_TRUE(is_empty_dir(out.path()));
  EXPECT_EQ(count_open_fds(), fds_before - 2) << "the entries' descriptors are closed";
}

TEST(ZipWriter, ADirectoryEntryFailsTheArchive) {
  testing::TempDir dir;
  expect_fails_cleanly(core::UniqueFd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY)),
                       "directory");
}

TEST(ZipWriter, AClosedPipeEntryFailsTheArchive) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  ::close(ends[1]);
  expect_fails_cleanly(core::UniqueFd(ends[0]), "closed pipe");
}

TEST(ZipWriter, AWriteOnlyEntryFailsTheArchive) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "w") << "x";
  expect_fails_cleanly(core::UniqueFd(::open((dir.path() / "w").c_str(), O_WRONLY)), "write-only");
}

TEST(ZipWriter, AMissingDirectoryFails) {
  auto zip = write_zip({}, "/nonexistent/image-resize-archive");
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, core::ErrorCode::internal);
}

// A "Vm...:" field of /proc/self/status, in KiB; -1 when absent.
long status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::string_view(field).size());
  }
  return -1;
}

// 80 MiB of entries; the growth of the resident set while they are written, measured two ways:
// the kernel's peak (VmHWM, reset first through clear_refs) and VmRSS sampled every millisecond.
TEST(ZipWriter, MemoryDoesNotGrowWithTheEntries) {
  constexpr std::size_t kEntries = 40;
  constexpr std::size_t kEntryBytes = 2 * 1024 * 1024;
  testing::TempDir inputs;
  testing::TempDir out;
  std::vector<ArchiveEntry> entries;
  {
    std::string bytes(kEntryBytes, '\0');
    for (std::size_t i = 0; i < kEntries; ++i) {
      std::fill(bytes.begin(), bytes.end(), static_cast<char>('a' + i % 26));
      bytes[i] = '!';  // no two alike
      entries.push_back({"big.bin", make_file(inputs.path(), std::to_string(i), bytes)});
    }
  }
  // The kernel's peak counter, reset to the current resident set ("5" since Linux 4.0).
  const bool hwm_reset = static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5");
  const long rss_before = status_kib("VmRSS:");
  const long hwm_before = status_kib("VmHWM:");
  std::atomic<bool> done = false;
  std::atomic<long> sampled_peak = rss_before;
  std::thread sampler([&] {
    while (!done) {
      sampled_peak = std::max(sampled_peak.load(), status_kib("VmRSS:"));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto zip = write_zip(std::move(entries), out.path());
  done = true;
  sampler.join();
  const long hwm_growth = hwm_reset ? status_kib("VmHWM:") - hwm_before : 0;
  const long sampled_growth = sampled_peak - rss_before;
  ASSERT_TRUE(zip.ok()) << zip.error().log_message();

  const long total_kib = kEntries * kEntryBytes / 1024;
  std::cout << "entries " << total_kib << " KiB; peak RSS growth: VmHWM "
            << (hwm_reset ? std::to_string(hwm_growth) : "n/a") << " KiB, sampled VmRSS "
            << sampled_growth << " KiB\n";
  EXPECT_LT(std::max(hwm_growth, sampled_growth), total_kib / 2);
  EXPECT_LT(std::max(hwm_growth, sampled_growth), 8 * 1024) << "a few buffers, not the entries";

  EXPECT_GT(zip->size, kEntries * kEntryBytes);
  ZipReader reader(*zip);
  ASSERT_NE(reader.archive, nullptr);
  ASSERT_EQ(zip_get_num_entries(reader.archive, 0), static_cast<zip_int64_t>(kEntries));
  EXPECT_EQ(reader.names()[1], "big-2.bin");
  for (zip_uint64_t i = 0; i < kEntries; i += 13) {
    const std::string bytes = reader.bytes(i);
    ASSERT_EQ(bytes.size(), kEntryBytes);
    EXPECT_EQ(bytes[i], '!');
    EXPECT_EQ(bytes[kEntryBytes - 1], static_cast<char>('a' + i % 26));
  }
}

}  // namespace
}  // namespace image_resize::archive
