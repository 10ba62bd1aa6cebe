#pragma once
// The blob store --blob-store names: files under --data-dir, or an S3-compatible bucket.

#include <memory>

#include "config/app_config.h"
#include "metrics/registry.h"
#include "storage/blob_store.h"

namespace image_resize::app {

// Opens it and, for a bucket, checks that it can be used: the error says what to fix.
core::Result<std::unique_ptr<storage::BlobStore>> open_blob_store(const config::AppConfig& config,
                                                                  metrics::Registry& metrics);

}  // namespace image_resize::app
