#include "app/blob_stores.h"

#include "core/log.h"
#include "storage/file/fs_blob_store.h"
#include "storage/s3/s3_blob_store.h"

namespace image_resize::app {

namespace {

core::Error bad_url(const std::string& url) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "--blob-store must be file: (files under --data-dir) or "
                           "s3://BUCKET[/PREFIX], not '" +
                               url + "'");
}

// The bucket and prefix of s3://BUCKET[/PREFIX] (the bucket's name is checked by the store).
core::Result<storage::s3::S3Config> bucket_of(const std::string& url, storage::s3::S3Config s3) {
  constexpr std::string_view kScheme = "s3://";
  if (!url.starts_with(kScheme) || url.size() == kScheme.size()) return bad_url(url);
  const std::string_view rest = std::string_view(url).substr(kScheme.size());
  const auto slash = rest.find('/');
  std::string_view prefix = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  while (!prefix.empty() && prefix.front() == '/') prefix.remove_prefix(1);
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  s3.bucket = std::string(rest.substr(0, slash));
  s3.prefix = std::string(prefix);
  return s3;
}

}  // namespace

core::Result<std::unique_ptr<storage::BlobStore>> open_blob_store(const config::AppConfig& config,
                                                                  metrics::Registry& metrics) {
  if (config.blob_store == "file:" || config.blob_store == "file://") {
    auto files = storage::FsBlobStore::open(config.data_dir);
    if (!files.ok()) return files.error();
    return std::unique_ptr<storage::BlobStore>(std::move(files).value());
  }
  auto s3 = bucket_of(config.blob_store, config.s3);
  if (!s3.ok()) return s3.error();
  auto bucket = storage::s3::S3BlobStore::open(*s3, &metrics);
  if (!bucket.ok()) return bucket.error();
  core::log::info("blob store", {{"bucket", s3->bucket},
                                 {"prefix", s3->prefix},
                                 {"endpoint", (*bucket)->endpoint_url()},
                                 {"region", s3->region}});
  return std::unique_ptr<storage::BlobStore>(std::move(bucket).value());
}

}  // namespace image_resize::app
