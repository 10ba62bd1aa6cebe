// The BlobStore contract (storage/blob_store.h), run against every backend in BlobBackends.

#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <string>

#include "contract/blob_backends.h"

namespace image_resize::contract {
namespace {

using storage::BlobKind;

template <class Backend>
class BlobStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = Backend::make();
    ASSERT_NE(backend_, nullptr);
  }
  storage::BlobStore& store() { return backend_->store(); }

  std::optional<std::string> get(BlobKind kind, const core::TaskId& id) {
    auto found = store().get(kind, id);
    EXPECT_TRUE(found.ok()) << found.error().log_message();
    if (!found.ok()) return std::nullopt;
    return *found;
  }
  void put(BlobKind kind, const core::TaskId& id, std::string_view bytes) {
    auto stored = store().put(kind, id, bytes);
    EXPECT_TRUE(stored.ok()) << stored.error().log_message();
  }

 private:
  std::unique_ptr<Backend> backend_;
};
TYPED_TEST_SUITE(BlobStoreContract, BlobBackends);

// Bytes that a text-minded implementation would mangle: NULs, high bytes, CR LF.
std::string binary_bytes() {
  std::string bytes;
  for (int i = 0; i < 1024; ++i) bytes.push_back(static_cast<char>(i % 256));
  return bytes + std::string("\r\n\0tail", 7);
}

TYPED_TEST(BlobStoreContract, GetReturnsWhatPutStored) {
  const core::TaskId id = core::TaskId::generate();
  this->put(BlobKind::input, id, binary_bytes());
  EXPECT_EQ(this->get(BlobKind::input, id), binary_bytes());
}

TYPED_TEST(BlobStoreContract, AnEmptyBlobIsStoredAndIsNotMissing) {
  const core::TaskId id = core::TaskId::generate();
  this->put(BlobKind::result, id, "");
  EXPECT_EQ(this->get(BlobKind::result, id), std::string());
}

TYPED_TEST(BlobStoreContract, GetOfAMissingBlobIsNullopt) {
  EXPECT_EQ(this->get(BlobKind::input, core::TaskId::generate()), std::nullopt);
}

TYPED_TEST(BlobStoreContract, InputsAndResultsOfOneTaskAreSeparate) {
  const core::TaskId id = core::TaskId::generate();
  this->put(BlobKind::input, id, "input bytes");
  EXPECT_EQ(this->get(BlobKind::result, id), std::nullopt);
  this->put(BlobKind::result, id, "result bytes");
  EXPECT_EQ(this->get(BlobKind::input, id), "input bytes");
  EXPECT_EQ(this->get(BlobKind::result, id), "result bytes");
}

TYPED_TEST(BlobStoreContract, PutReplacesAnExistingBlob) {
  const core::TaskId id = core::TaskId::generate();
  this->put(BlobKind::result, id, std::string(10'000, 'a'));
  this->put(BlobKind::result, id, "short");
  EXPECT_EQ(this->get(BlobKind::result, id), "short");
}

TYPED_TEST(BlobStoreContract, RemoveDeletesOnlyThatBlob) {
  const core::TaskId id = core::TaskId::generate();
  const core::TaskId other = core::TaskId::generate();
  this->put(BlobKind::input, id, "a");
  this->put(BlobKind::result, id, "b");
  this->put(BlobKind::input, other, "c");
  ASSERT_TRUE(this->store().remove(BlobKind::input, id).ok());
  EXPECT_EQ(this->get(BlobKind::input, id), std::nullopt);
  EXPECT_EQ(this->get(BlobKind::result, id), "b");
  EXPECT_EQ(this->get(BlobKind::input, other), "c");
}

TYPED_TEST(BlobStoreContract, RemovingAMissingBlobIsOk) {
  const core::TaskId id = core::TaskId::generate();
  EXPECT_TRUE(this->store().remove(BlobKind::result, id).ok());
  this->put(BlobKind::result, id, "x");
  EXPECT_TRUE(this->store().remove(BlobKind::result, id).ok());
  EXPECT_TRUE(this->store().remove(BlobKind::result, id).ok());
}

// The whole file behind a descriptor from open_for_reading, read from where it is positioned.
std::string read_all(int fd) {
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

std::string random_bytes(std::size_t size) {
  std::mt19937 engine(42);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(engine());
  return bytes;
}

TYPED_TEST(BlobStoreContract, OpenForReadingGivesTheWholeBlobFromItsStart) {
  const core::TaskId id = core::TaskId::generate();
  const std::string bytes = random_bytes(3 * 1024 * 1024 + 17);
  this->put(BlobKind::input, id, bytes);
  auto opened = this->store().open_for_reading(BlobKind::input, id);
  ASSERT_TRUE(opened.ok()) << opened.error().log_message();
  ASSERT_TRUE(opened->has_value());
  struct stat info {};
  ASSERT_EQ(::fstat((*opened)->get(), &info), 0);
  EXPECT_EQ(static_cast<std::size_t>(info.st_size), bytes.size());
  EXPECT_TRUE(read_all((*opened)->get()) == bytes);
}

TYPED_TEST(BlobStoreContract, OpenForReadingOfAMissingBlobIsNullopt) {
  auto opened = this->store().open_for_reading(BlobKind::input, core::TaskId::generate());
  ASSERT_TRUE(opened.ok()) << opened.error().log_message();
  EXPECT_FALSE(opened->has_value());
}

TYPED_TEST(BlobStoreContract, AnOpenedBlobStaysWholeWhenItIsReplacedOrRemoved) {
  const core::TaskId id = core::TaskId::generate();
  this->put(BlobKind::input, id, "the first bytes");
  auto opened = this->store().open_for_reading(BlobKind::input, id);
  ASSERT_TRUE(opened.ok() && opened->has_value());
  this->put(BlobKind::input, id, "other bytes, and more of them");
  ASSERT_TRUE(this->store().remove(BlobKind::input, id).ok());
  EXPECT_EQ(read_all((*opened)->get()), "the first bytes");
}

TYPED_TEST(BlobStoreContract, ALargeBlobComesBackByteForByte) {
  const core::TaskId id = core::TaskId::generate();
  const std::string bytes = random_bytes(12 * 1024 * 1024);
  this->put(BlobKind::result, id, bytes);
  EXPECT_TRUE(this->get(BlobKind::result, id) == bytes);
}

TYPED_TEST(BlobStoreContract, PingAnswersWhileTheStoreIsUsable) {
  auto status = this->store().ping();
  EXPECT_TRUE(status.ok()) << status.error().log_message();
}

}  // namespace
}  // namespace image_resize::contract
