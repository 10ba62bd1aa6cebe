// What only the S3 store does, against a real S3 server that checks signatures: start-up checks
// that name what is wrong, retries of transient errors only (through a fault proxy), checksums,
// presigned URLs, metrics, and objects an independent client (boto3) reads and writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "contract/blob_backends.h"
#include "metrics/registry.h"
#include "support/http_client.h"

namespace image_resize::contract {
namespace {

using storage::BlobKind;
using storage::s3::S3BlobStore;
using storage::s3::S3Config;

std::string start_error(const S3Config& config) {
  auto store = S3BlobStore::open(config, nullptr);
  return store.ok() ? std::string("(it opened)") : store.error().log_message();
}

std::string file_contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(S3BlobStoreStart, NamesWhatIsWrong) {
  const S3Config good = S3BlobBackend::config();
  ASSERT_TRUE(S3BlobStore::open(good, nullptr).ok());

  S3Config no_secret = good;
  no_secret.credentials.secret_access_key.clear();
  EXPECT_NE(start_error(no_secret).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);

  S3Config wrong_secret = good;
  wrong_secret.credentials.secret_access_key = "not-the-secret-key-at-all";
  const std::string denied = start_error(wrong_secret);
  EXPECT_NE(denied.find("denied (HTTP 403)"), std::string::npos) << denied;
  // Never the secret itself.
  EXPECT_EQ(denied.find("not-the-secret"), std::string::npos) << denied;

  S3Config missing_bucket = good;
  missing_bucket.bucket = "no-such-bucket";
  EXPECT_NE(start_error(missing_bucket).find("does not exist"), std::string::npos);

  S3Config bad_endpoint = good;
  bad_endpoint.endpoint = "127.0.0.1:9000";
  EXPECT_NE(start_error(bad_endpoint).find("--s3-endpoint"), std::string::npos);

  S3Config nobody_there = good;
  nobody_there.endpoint = "http://127.0.0.1:1";
  nobody_there.max_attempts = 1;
  EXPECT_NE(start_error(nobody_there).find("cannot reach"), std::string::npos);
}

TEST(S3BlobStore, ObjectsAreReadableByAnIndependentClientAndTheOtherWayRound) {
  testing::S3Server& server = S3BlobBackend::server();
  S3Config config = S3BlobBackend::config();
  config.prefix = "boto3";
  auto store = S3BlobStore::open(config, nullptr);
  ASSERT_TRUE(store.ok()) << store.error().log_message();
  testing::TempDir dir;

  const core::TaskId written_here = core::TaskId::generate();
  const std::string bytes(300'000, 'x');
  ASSERT_TRUE((*store)->put(BlobKind::result, written_here, bytes).ok());
  const auto downloaded = dir.path() / "from-service";
  ASSERT_EQ(server.boto3("get " + (*store)->key_of(BlobKind::result, written_here) + " " +
                         downloaded.string()),
            0);
  EXPECT_TRUE(file_contents(downloaded) == bytes);

  const core::TaskId written_by_boto3 = core::TaskId::generate();
  const auto upload = dir.path() / "to-service";
  std::ofstream(upload, std::ios::binary) << "bytes boto3 stored";
  ASSERT_EQ(server.boto3("put " + (*store)->key_of(BlobKind::input, written_by_boto3) + " " +
                         upload.string()),
            0);
  auto read = (*store)->get(BlobKind::input, written_by_boto3);
  ASSERT_TRUE(read.ok()) << read.error().log_message();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, "bytes boto3 stored");
}

TEST(S3BlobStore, AnObjectChangedInTheStoreIsNotHandedOut) {
  testing::S3Server& server = S3BlobBackend::server();
  S3Config config = S3BlobBackend::config();
  config.prefix = "tampered";
  auto store = S3BlobStore::open(config, nullptr);
  ASSERT_TRUE(store.ok());
  const core::TaskId id = core::TaskId::generate();
  ASSERT_TRUE((*store)->put(BlobKind::input, id, "the uploaded bytes").ok());
  const auto file =
      server.objects_dir() / ((*store)->key_of(BlobKind::input, id) + "._S3rver_object");
  ASSERT_TRUE(std::filesystem::exists(file));
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "the uploaded bytez";
  std::filesystem::remove(file.string() + ".md5");  // s3rver recomputes its ETag

  auto read = (*store)->get(BlobKind::input, id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, core::ErrorCode::blob_damaged);
  EXPECT_NE(read.error().log_message().find("SHA-256"), std::string::npos);
  auto opened = (*store)->open_for_reading(BlobKind::input, id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::blob_damaged);
}

TEST(S3BlobStore, APresignedUrlServesTheObjectWithoutCredentialsUntilItExpires) {
  testing::S3Server& server = S3BlobBackend::server();
  auto store = S3BlobStore::open(S3BlobBackend::config(), nullptr);
  ASSERT_TRUE(store.ok());
  const core::TaskId id = core::TaskId::generate();
  ASSERT_TRUE((*store)
                  ->put(BlobKind::result, id, "result bytes",
                        {.content_type = "image/webp", .cache_control = "public, max-age=60"})
                  .ok());
  auto url = (*store)->presigned_url(BlobKind::result, id, std::chrono::seconds(2),
                                     "public, max-age=3600, immutable");
  ASSERT_TRUE(url.has_value());
  const std::string prefix = server.endpoint();
  ASSERT_EQ(url->substr(0, prefix.size()), prefix);
  const std::string target = url->substr(prefix.size());

  testing::HttpClient client(server.port());
  const auto fetched = client.get(target);
  EXPECT_EQ(fetched.status, 200) << fetched;
  EXPECT_EQ(fetched.body, "result bytes");
  EXPECT_EQ(fetched.header("Content-Type").value_or(""), "image/webp");
  EXPECT_EQ(fetched.header("Cache-Control").value_or(""), "public, max-age=3600, immutable");

  std::string tampered = target;
  tampered[tampered.size() - 1] = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(client.get(tampered).status, 403);
  std::this_thread::sleep_for(std::chrono::milliseconds(3'100));
  EXPECT_EQ(client.get(target).status, 403) << "the URL outlived its expiry";
}

TEST(S3BlobStore, OpenForReadingDownloadsIntoAMemoryFile) {
  auto store = S3BlobStore::open(S3BlobBackend::config(), nullptr);
  ASSERT_TRUE(store.ok());
  const core::TaskId id = core::TaskId::generate();
  ASSERT_TRUE((*store)->put(BlobKind::input, id, "bytes").ok());
  auto opened = (*store)->open_for_reading(BlobKind::input, id);
  ASSERT_TRUE(opened.ok() && opened->has_value());
  const auto link =
      std::filesystem::read_symlink("/proc/self/fd/" + std::to_string((*opened)->get()));
  EXPECT_EQ(link.string().rfind("/memfd:", 0), 0U) << link;
}

// Requests through the fault proxy, which fails the ones a test names.
class S3BlobStoreFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started());
    auto store = S3BlobStore::open(S3BlobBackend::config_for(server_), &metrics_);
    ASSERT_TRUE(store.ok()) << store.error().log_message();
    store_ = std::move(store).value();
  }
  std::string key_pattern(BlobKind kind, const core::TaskId& id) {
    return store_->key_of(kind, id) + "$";
  }

  testing::S3Server server_{{.fault_proxy = true}};
  metrics::Registry metrics_;
  std::unique_ptr<S3BlobStore> store_;
};

TEST_F(S3BlobStoreFaults, ThrottlingAndServerErrorsAreRetriedWithBackoff) {
  const core::TaskId id = core::TaskId::generate();
  server_.fail_requests("PUT", key_pattern(BlobKind::input, id), 503, "SlowDown", 2);
  EXPECT_TRUE(store_->put(BlobKind::input, id, "bytes").ok());
  EXPECT_EQ(server_.requests_seen("PUT", key_pattern(BlobKind::input, id)), 3);

  server_.fail_requests("GET", key_pattern(BlobKind::input, id), 500, "InternalError", 1);
  auto read = store_->get(BlobKind::input, id);
  ASSERT_TRUE(read.ok()) << read.error().log_message();
  EXPECT_EQ(read->value_or(""), "bytes");
  EXPECT_EQ(server_.requests_seen("GET", key_pattern(BlobKind::input, id)), 2);

  const std::string text = metrics_.render();
  for (const char* series :
       {"image_resize_object_store_requests_total{operation=\"put\",outcome=\"server_error\"} 2",
        "image_resize_object_store_requests_total{operation=\"put\",outcome=\"ok\"} 1",
        "image_resize_object_store_requests_total{operation=\"get\",outcome=\"server_error\"} 1",
        "image_resize_object_store_request_seconds_count{operation=\"put\"} 3"}) {
    EXPECT_NE(text.find(series), std::string::npos) << series << "\n" << text;
  }
}

TEST_F(S3BlobStoreFaults, WhileTheServerIsDownEveryAttemptFailsAndThenItWorksAgain) {
  const core::TaskId id = core::TaskId::generate();
  server_.stop();
  auto put = store_->put(BlobKind::input, id, "bytes");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::backend_unavailable);
  const std::string series =
      "image_resize_object_store_requests_total{operation=\"put\","
      "outcome=\"connection_error\"} " +
      std::to_string(S3Config{}.max_attempts);
  EXPECT_NE(metrics_.render().find(series), std::string::npos) << metrics_.render();
  ASSERT_TRUE(server_.restart());
  EXPECT_TRUE(store_->put(BlobKind::input, id, "bytes").ok());
}

TEST_F(S3BlobStoreFaults, ConnectionsAreKeptOpenAndReused) {
  for (int i = 0; i < 20; ++i) {
    const core::TaskId id = core::TaskId::generate();
    ASSERT_TRUE(store_->put(BlobKind::input, id, "bytes").ok());
    ASSERT_TRUE(store_->get(BlobKind::input, id).ok());
    ASSERT_TRUE(store_->remove(BlobKind::input, id).ok());
  }
  // One thread, one request at a time: the start-up check's connection serves all 60.
  EXPECT_LE(server_.connections_seen(), 2);
}

TEST_F(S3BlobStoreFaults, ClientErrorsAreNeverRetried) {
  const core::TaskId id = core::TaskId::generate();
  server_.fail_requests("PUT", key_pattern(BlobKind::result, id), 403, "AccessDenied", 5);
  auto put = store_->put(BlobKind::result, id, "bytes");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::backend_unavailable);
  EXPECT_NE(put.error().log_message().find("AccessDenied"), std::string::npos)
      << put.error().log_message();
  EXPECT_EQ(server_.requests_seen("PUT", key_pattern(BlobKind::result, id)), 1);
}

TEST_F(S3BlobStoreFaults, AnErrorThatLastsIsReturnedAfterTheLastAttempt) {
  const core::TaskId id = core::TaskId::generate();
  server_.fail_requests("DELETE", key_pattern(BlobKind::result, id), 503, "SlowDown", 100);
  EXPECT_FALSE(store_->remove(BlobKind::result, id).ok());
  EXPECT_EQ(server_.requests_seen("DELETE", key_pattern(BlobKind::result, id)),
            S3Config{}.max_attempts);
}

TEST_F(S3BlobStoreFaults, PingFailsWhileTheServerIsDownAndRecoversAfter) {
  EXPECT_TRUE(store_->ping().ok());
  server_.stop();
  EXPECT_FALSE(store_->ping().ok());
  ASSERT_TRUE(server_.restart());
  EXPECT_TRUE(store_->ping().ok());
}

}  // namespace
}  // namespace image_resize::contract
