#pragma once
// The BlobStore backends the contract suite runs against. A factory type has a static make()
// that returns a fresh, empty store (or nullptr after reporting a failure), and store(). To add
// a backend, write one more factory and add it to BlobBackends.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "storage/file/fs_blob_store.h"
#include "storage/s3/s3_blob_store.h"
#include "support/s3_server.h"
#include "support/temp_dir.h"

namespace image_resize::contract {

class FsBlobBackend {
 public:
  static std::unique_ptr<FsBlobBackend> make() {
    auto backend = std::unique_ptr<FsBlobBackend>(new FsBlobBackend());
    auto store = storage::FsBlobStore::open(backend->dir_.path() / "blobs");
    if (!store.ok()) {
      ADD_FAILURE() << store.error().log_message();
      return nullptr;
    }
    backend->store_ = std::move(store).value();
    return backend;
  }

  storage::BlobStore& store() { return *store_; }

 private:
  FsBlobBackend() = default;

  testing::TempDir dir_;
  std::unique_ptr<storage::FsBlobStore> store_;
};

// One S3 server (s3rver, signatures checked) per test binary, started on first use; each backend
// gets a prefix of its own, so every test starts from an empty store.
class S3BlobBackend {
 public:
  static testing::S3Server& server() {
    static testing::S3Server instance;
    return instance;
  }
  // A store's settings for `s3`'s bucket, with its credentials.
  static storage::s3::S3Config config_for(const testing::S3Server& s3) {
    storage::s3::S3Config config;
    config.bucket = s3.bucket();
    config.endpoint = s3.endpoint();
    config.credentials = {.access_key_id = s3.access_key(),
                          .secret_access_key = s3.secret_key(),
                          .session_token = ""};
    return config;
  }
  static storage::s3::S3Config config() { return config_for(server()); }
  static std::unique_ptr<S3BlobBackend> make() {
    if (!server().started()) {
      ADD_FAILURE() << "the S3 server did not start";
      return nullptr;
    }
    static std::atomic<int> next_prefix{0};
    storage::s3::S3Config with_prefix = config();
    with_prefix.prefix = "contract/" + std::to_string(next_prefix.fetch_add(1));
    auto store = storage::s3::S3BlobStore::open(with_prefix, nullptr);
    if (!store.ok()) {
      ADD_FAILURE() << store.error().log_message();
      return nullptr;
    }
    auto backend = std::unique_ptr<S3BlobBackend>(new S3BlobBackend());
    backend->store_ = std::move(store).value();
    return backend;
  }

  storage::BlobStore& store() { return *store_; }

 private:
  S3BlobBackend() = default;
  std::unique_ptr<storage::s3::S3BlobStore> store_;
};

using BlobBackends = ::testing::Types<FsBlobBackend, S3BlobBackend>;

}  // namespace image_resize::contract
