#pragma once
// The BlobStore backends the contract suite runs against. A factory type has a static make()
// that returns a fresh, empty store (or nullptr after reporting a failure), and store(). To add
// a backend (e.g. S3-compatible), write one more factory and add it to BlobBackends.

#include <gtest/gtest.h>

#include <memory>

#include "storage/fs_blob_store.h"
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

using BlobBackends = ::testing::Types<FsBlobBackend>;

}  // namespace image_resize::contract
