// VipsImageProcessor::resize_file: the image in an open file (mapped, not read into a buffer)
// resizes exactly as the same bytes passed in memory, and what is not a readable file is refused.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

// A file holding `bytes`, open for reading, its name already removed; closed by the destructor.
class OpenFile {
 public:
  explicit OpenFile(const std::string& bytes) {
    char path[] = "/tmp/resize-file-test-XXXXXX";
    fd_ = ::mkstemp(path);
    EXPECT_GE(fd_, 0);
    ::unlink(path);
    EXPECT_EQ(::write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() { ::close(fd_); }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

TEST(ResizeFile, AFileResizesExactlyAsItsBytes) {
  VipsImageProcessor processor;
  for (const std::string name : {"photo.jpg", "alpha.png", "photo.webp"}) {
    const auto spec = test::make_spec(120, 80);
    const OpenFile file(test::fixture(name));
    const auto from_file = processor.resize_file(file.fd(), spec, core::Limits{});
    const auto from_bytes = processor.resize(test::fixture(name), spec, core::Limits{});
    ASSERT_TRUE(from_file.ok()) << name << ": " << from_file.error().log_message();
    ASSERT_TRUE(from_bytes.ok()) << name;
    EXPECT_EQ(from_file->width, 120) << name;
    EXPECT_EQ(from_file->height, 80) << name;
    EXPECT_TRUE(from_file->bytes == from_bytes->bytes) << name;
  }
}

TEST(ResizeFile, AnEmptyFileFailsAsEmptyBytesDo) {
  VipsImageProcessor processor;
  const OpenFile empty("");
  const auto from_file = processor.resize_file(empty.fd(), test::make_spec(10, 10), {});
  const auto from_bytes = processor.resize("", test::make_spec(10, 10), {});
  ASSERT_FALSE(from_file.ok());
  ASSERT_FALSE(from_bytes.ok());
  EXPECT_EQ(from_file.error().code, from_bytes.error().code);
}

TEST(ResizeFile, WhatIsNotARegularFileIsAnInternalError) {
  VipsImageProcessor processor;
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const auto piped = processor.resize_file(ends[0], test::make_spec(10, 10), {});
  ::close(ends[0]);
  ::close(ends[1]);
  ASSERT_FALSE(piped.ok());
  EXPECT_EQ(piped.error().code, core::ErrorCode::internal);
  const auto closed = processor.resize_file(-1, test::make_spec(10, 10), {});
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, core::ErrorCode::internal);
}

}  // namespace
}  // namespace image_resize::imaging
