// MemoryFile: what is appended reads back whole (prefix, mapping, and through the released
// descriptor), and clear() starts it again.
#include "storage/memory_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace image_resize::storage {
namespace {

TEST(MemoryFile, KeepsWhatIsAppended) {
  auto file = MemoryFile::create("test");
  ASSERT_TRUE(file.ok()) << file.error().log_message();
  const std::string big(300'000, 'b');
  ASSERT_TRUE(file->append("head:").ok());
  ASSERT_TRUE(file->append(big).ok());
  EXPECT_EQ(file->size(), 5 + big.size());
  EXPECT_EQ(file->read_prefix(5).value(), "head:");
  EXPECT_EQ(file->read_prefix(10'000'000).value().size(), file->size()) << "capped at the size";
  auto mapped = file->map();
  ASSERT_TRUE(mapped.ok()) << mapped.error().log_message();
  EXPECT_EQ(mapped->bytes(), "head:" + big);
}

TEST(MemoryFile, AnEmptyFileMapsToNoBytes) {
  auto file = MemoryFile::create("empty");
  ASSERT_TRUE(file.ok());
  auto mapped = file->map();
  ASSERT_TRUE(mapped.ok());
  EXPECT_TRUE(mapped->bytes().empty());
}

TEST(MemoryFile, ClearStartsAgain) {
  auto file = MemoryFile::create("restart");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->append("first attempt").ok());
  ASSERT_TRUE(file->clear().ok());
  ASSERT_TRUE(file->append("second").ok());
  EXPECT_EQ(file->size(), 6U);
  EXPECT_EQ(file->map()->bytes(), "second");
}

TEST(MemoryFile, AReleasedDescriptorReadsFromTheStart) {
  auto file = MemoryFile::create("released");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->append("all of it").ok());
  auto fd = file->release();
  ASSERT_TRUE(fd.ok());
  std::string read(32, '\0');
  const ssize_t n = ::read(fd->get(), read.data(), read.size());
  ASSERT_EQ(n, 9);
  read.resize(9);
  EXPECT_EQ(read, "all of it");
}

}  // namespace
}  // namespace image_resize::storage
