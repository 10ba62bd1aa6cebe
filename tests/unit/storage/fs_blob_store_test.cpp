// FsBlobStore on real files: layout on disk, atomic replacement, no leftovers, concurrency and
// how I/O errors are reported. The generic put/get/remove behaviour is in
// tests/contract/blob_store_contract_test.cpp.

#include "storage/file/fs_blob_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::storage {
namespace {

namespace fs = std::filesystem;

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = FsBlobStore::open(root());
    ASSERT_TRUE(opened.ok()) << opened.error().log_message();
    store_ = std::move(opened).value();
  }
  fs::path root() const { return dir_.path() / "data"; }
  FsBlobStore& store() { return *store_; }

  // Every regular file below the root, relative to it.
  std::vector<fs::path> files_on_disk() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root())) {
      if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root()));
    }
    std::sort(files.begin(), files.end());
    return files;
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<FsBlobStore> store_;
};

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(engine());
  return bytes;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(FsBlobStoreTest, OpenCreatesTheInputAndResultDirectories) {
  EXPECT_TRUE(fs::is_directory(root() / "inputs"));
  EXPECT_TRUE(fs::is_directory(root() / "results"));
}

TEST_F(FsBlobStoreTest, OpenMakesEveryShardSoNoPutHasTo) {
  for (const char* kind : {"inputs", "results"}) {
    int shards = 0;
    for (const auto& entry : fs::directory_iterator(root() / kind)) {
      EXPECT_TRUE(entry.is_directory()) << entry.path();
      EXPECT_EQ(entry.path().filename().string().size(), 2U) << entry.path();
      ++shards;
    }
    EXPECT_EQ(shards, 256) << kind;
  }
  // Again on the same root: nothing to make, nothing lost.
  const auto id = *core::TaskId::parse("0f345678-1234-4321-8765-123456789abc");
  ASSERT_TRUE(store().put(BlobKind::input, id, "kept").ok());
  ASSERT_TRUE(FsBlobStore::open(root()).ok());
  EXPECT_EQ(read_file(root() / "inputs" / "0f" / id.str()), "kept");
}

TEST_F(FsBlobStoreTest, APutMakesItsShardAgainWhenItWasRemoved) {
  const auto id = *core::TaskId::parse("5e345678-1234-4321-8765-123456789abc");
  ASSERT_TRUE(store().put(BlobKind::result, id, "first").ok());
  ASSERT_TRUE(store().remove(BlobKind::result, id).ok());
  ASSERT_TRUE(fs::remove(root() / "results" / "5e"));
  ASSERT_TRUE(store().put(BlobKind::result, id, "second").ok());
  EXPECT_EQ(read_file(root() / "results" / "5e" / id.str()), "second");
}

TEST_F(FsBlobStoreTest, BlobsLiveInADirectoryNamedAfterTheFirstTwoHexDigits) {
  const auto id = *core::TaskId::parse("ab345678-1234-4321-8765-123456789abc");
  ASSERT_TRUE(store().put(BlobKind::input, id, "in").ok());
  ASSERT_TRUE(store().put(BlobKind::result, id, "out").ok());
  EXPECT_EQ(store().path_of(BlobKind::input, id), root() / "inputs" / "ab" / id.str());
  EXPECT_EQ(read_file(root() / "inputs" / "ab" / id.str()), "in");
  EXPECT_EQ(read_file(root() / "results" / "ab" / id.str()), "out");
}

TEST_F(FsBlobStoreTest, ALargeBlobRoundTrips) {
  const auto id = core::TaskId::generate();
  const std::string bytes = random_bytes(5 * 1024 * 1024 + 17, 1);
  ASSERT_TRUE(store().put(BlobKind::input, id, bytes).ok());
  auto found = store().get(BlobKind::input, id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(found->value().size(), bytes.size());
  EXPECT_TRUE(found->value() == bytes);
}

// What a worker does with its input: open it, remove it, and still read all of it.
TEST_F(FsBlobStoreTest, AnOpenedBlobReadsWholeEvenAfterItIsReplacedOrRemoved) {
  const auto id = core::TaskId::generate();
  const std::string bytes = random_bytes(300 * 1024 + 5, 2);
  ASSERT_TRUE(store().put(BlobKind::input, id, bytes).ok());
  auto opened = store().open_for_reading(BlobKind::input, id);
  ASSERT_TRUE(opened.ok());
  ASSERT_TRUE(opened->has_value());
  ASSERT_TRUE(store().put(BlobKind::input, id, "replaced").ok());
  ASSERT_TRUE(store().remove(BlobKind::input, id).ok());
  std::string read_back(bytes.size() + 1, '\0');
  const ssize_t got = ::pread((*opened)->get(), read_back.data(), read_back.size(), 0);
  ASSERT_EQ(got, static_cast<ssize_t>(bytes.size()));
  read_back.resize(static_cast<std::size_t>(got));
  EXPECT_TRUE(read_back == bytes);

  auto missing = store().open_for_reading(BlobKind::input, id);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(FsBlobStoreTest, ReplacingAndRemovingLeaveNoTemporaryFilesBehind) {
  const auto kept = core::TaskId::generate();
  const auto removed = core::TaskId::generate();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store().put(BlobKind::result, kept, random_bytes(1000 + i, i)).ok());
    ASSERT_TRUE(store().put(BlobKind::input, removed, "x").ok());
  }
  ASSERT_TRUE(store().remove(BlobKind::input, removed).ok());
  const fs::path expected = fs::relative(store().path_of(BlobKind::result, kept), root());
  EXPECT_EQ(files_on_disk(), std::vector<fs::path>{expected});
}

TEST_F(FsBlobStoreTest, RemoveDeletesTheFile) {
  const auto id = core::TaskId::generate();
  ASSERT_TRUE(store().put(BlobKind::input, id, "x").ok());
  ASSERT_TRUE(store().remove(BlobKind::input, id).ok());
  EXPECT_FALSE(fs::exists(store().path_of(BlobKind::input, id)));
}

TEST_F(FsBlobStoreTest, AnotherStoreOnTheSameRootSeesTheBlobs) {
  const auto id = core::TaskId::generate();
  ASSERT_TRUE(store().put(BlobKind::result, id, "shared").ok());
  auto other = FsBlobStore::open(root());
  ASSERT_TRUE(other.ok());
  auto found = (*other)->get(BlobKind::result, id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, "shared");
}

TEST_F(FsBlobStoreTest, ConcurrentPutsOfDifferentIdsFromSeveralThreadsAllLand) {
  constexpr int kThreads = 4;
  constexpr int kBlobsPerThread = 40;
  std::vector<std::vector<core::TaskId>> ids(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBlobsPerThread; ++i) {
        const auto id = core::TaskId::generate();
        if (!store()
                 .put(BlobKind::input, id, id.str() + std::string(i * std::size_t{100}, 'z'))
                 .ok())
          ++failures;
        ids[t].push_back(id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (const auto& thread_ids : ids) {
    for (std::size_t i = 0; i < thread_ids.size(); ++i) {
      auto found = store().get(BlobKind::input, thread_ids[i]);
      ASSERT_TRUE(found.ok());
      EXPECT_EQ(*found, thread_ids[i].str() + std::string(i * std::size_t{100}, 'z'));
    }
  }
  EXPECT_EQ(files_on_disk().size(), static_cast<std::size_t>(kThreads * kBlobsPerThread));
}

TEST_F(FsBlobStoreTest, AReaderNeverSeesAPartlyWrittenBlob) {
  const auto id = core::TaskId::generate();
  const std::string first(1 << 20, 'a');
  const std::string second(1 << 19, 'b');
  ASSERT_TRUE(store().put(BlobKind::result, id, first).ok());
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto found = store().get(BlobKind::result, id);
      if (!found.ok() || !found->has_value() || (**found != first && **found != second)) ++torn;
    }
  });
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(store().put(BlobKind::result, id, i % 2 == 0 ? second : first).ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

TEST(FsBlobStoreErrors, OpenFailsWithThePathWhenTheRootIsAFile) {
  testing::TempDir dir;
  const fs::path file = dir.path() / "not-a-directory";
  std::ofstream(file) << "x";
  auto opened = FsBlobStore::open(file);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::internal);
  EXPECT_NE(opened.error().internal_message.find(file.string()), std::string::npos)
      << opened.error().internal_message;
}

TEST(FsBlobStoreErrors, PutFailsWithPathAndReasonWhenTheShardCannotBeCreated) {
  testing::TempDir dir;
  auto store = FsBlobStore::open(dir.path());
  ASSERT_TRUE(store.ok());
  const auto id = *core::TaskId::parse("cd345678-1234-4321-8765-123456789abc");
  ASSERT_TRUE(fs::remove(dir.path() / "inputs" / "cd"));  // made by open()
  std::ofstream(dir.path() / "inputs" / "cd") << "a file where the shard directory goes";

  auto stored = (*store)->put(BlobKind::input, id, "bytes");
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.error().code, core::ErrorCode::internal);
  const std::string& detail = stored.error().internal_message;
  EXPECT_NE(detail.find((dir.path() / "inputs" / "cd").string()), std::string::npos) << detail;
  EXPECT_NE(detail.find("File exists"), std::string::npos) << detail;
  EXPECT_EQ(stored.error().public_message.find(dir.path().string()), std::string::npos);
}

TEST(FsBlobStoreErrors, GetOfABlobThatIsADirectoryIsAnErrorNotMissing) {
  testing::TempDir dir;
  auto store = FsBlobStore::open(dir.path());
  ASSERT_TRUE(store.ok());
  const auto id = core::TaskId::generate();
  fs::create_directories((*store)->path_of(BlobKind::result, id));
  auto found = (*store)->get(BlobKind::result, id);
  EXPECT_FALSE(found.ok());
}

}  // namespace
}  // namespace image_resize::storage
