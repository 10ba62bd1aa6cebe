#pragma once
// The real embedded backends (SQLite file, blob files, libvips) in a fresh temp dir, for tests
// of the worker loop and the sweeper.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "imaging/vips_image_processor.h"
#include "metrics/registry.h"
#include "outbound/outbound_client.h"
#include "storage/file/fs_blob_store.h"
#include "support/fixtures.h"
#include "support/temp_dir.h"
#include "tasks/sqlite/sqlite_database.h"
#include "tasks/sqlite/sqlite_task_queue.h"
#include "tasks/sqlite/sqlite_task_store.h"

namespace image_resize::worker {

class WorkerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir_.path();
    auto database = tasks::SqliteDatabase::open({.path = dir_ / "tasks.db"});
    ASSERT_TRUE(database.ok()) << database.error().log_message();
    database_ = *database;
    tasks_ = std::make_unique<tasks::SqliteTaskStore>(database_);
    auto opened = tasks::SqliteTaskQueue::open(database_, {.lease_duration = lease_});
    ASSERT_TRUE(opened.ok());
    queue_ = std::move(*opened);
    auto blobs = storage::FsBlobStore::open(dir_);
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(*blobs);
  }

  void TearDown() override {
    queue_.reset();
    tasks_.reset();
    database_.reset();
  }

  // Stores `input` and creates a PENDING task for it, as the upload handler does.
  core::TaskId submit(const std::string& input, core::ResizeSpec spec,
                      core::TimePoint expires_at = core::now() + std::chrono::hours(1)) {
    const core::TaskId id = core::TaskId::generate();
    EXPECT_TRUE(blobs_->put(storage::BlobKind::input, id, input).ok());
    const auto task =
        core::TaskRecord::pending(id, spec, core::ImageFormat::jpeg, core::now(), expires_at);
    EXPECT_TRUE(tasks_->create(task).ok());
    return id;
  }

  core::TaskRecord task(const core::TaskId& id) {
    auto found = tasks_->get(id);
    EXPECT_TRUE(found.ok());
    return found.value().value();  // throws, failing the test, when the task is gone
  }

  std::chrono::milliseconds lease_{60'000};
  testing::TempDir temp_dir_{"worker-test-"};
  std::filesystem::path dir_;
  std::shared_ptr<tasks::SqliteDatabase> database_;
  std::unique_ptr<tasks::SqliteTaskStore> tasks_;
  std::unique_ptr<tasks::SqliteTaskQueue> queue_;
  std::unique_ptr<storage::FsBlobStore> blobs_;
  imaging::VipsImageProcessor images_;
  outbound::OutboundClient outbound_{outbound::OutboundConfig{}};
  metrics::Registry metrics_;
};

}  // namespace image_resize::worker
