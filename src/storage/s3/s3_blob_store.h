#pragma once
// BlobStore on an S3-compatible object store (AWS S3, MinIO, Ceph, R2, GCS's XML API):
// PREFIX/inputs/<id> and PREFIX/results/<id> in one bucket, so that api and worker machines
// share no disk. Requests are signed with SigV4 (sigv4.h) and sent through libcurl with
// connections reused; a connection error, a 5xx or throttling is retried with backoff, a 4xx
// never. Each object carries the SHA-256 of its bytes: S3 checks a PUT against it
// (x-amz-content-sha256), and a GET is checked against it here.
// Thread safety: any method from any thread at once.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "metrics/registry.h"
#include "storage/blob_store.h"
#include "storage/s3/curl_transport.h"
#include "storage/s3/s3_config.h"
#include "storage/s3/s3_endpoint.h"

namespace image_resize::storage::s3 {

class S3BlobStore final : public BlobStore {
 public:
  // Checks that the bucket exists and that the credentials may use it (HEAD bucket), so that a
  // bad configuration stops the process at start rather than failing its first upload. The
  // error says what to fix. `metrics` may be null.
  static core::Result<std::unique_ptr<S3BlobStore>> open(S3Config config,
                                                         metrics::Registry* metrics);

  core::Status put(BlobKind kind, const core::TaskId& id, std::string_view bytes,
                   const BlobAttributes& attributes = {}) override;
  core::Result<std::optional<std::string>> get(BlobKind kind, const core::TaskId& id) override;
  // Downloads into an in-memory file (memfd): the imaging process maps it like a file on disk,
  // and its pages are freed when the last descriptor closes.
  core::Result<std::optional<core::UniqueFd>> open_for_reading(BlobKind kind,
                                                               const core::TaskId& id) override;
  core::Status remove(BlobKind kind, const core::TaskId& id) override;
  // HEAD bucket, once, with a short timeout.
  core::Status ping() override;
  std::optional<std::string> presigned_url(BlobKind kind, const core::TaskId& id,
                                           std::chrono::seconds valid_for,
                                           std::string_view cache_control) override;

  // The object key of a blob: PREFIX/inputs/<id> or PREFIX/results/<id>.
  std::string key_of(BlobKind kind, const core::TaskId& id) const;
  const S3Config& config() const { return config_; }
  // scheme://host[:port] the requests go to.
  const std::string& endpoint_url() const { return endpoint_.base_url(); }

  struct Call;

 private:
  S3BlobStore(S3Config config, S3Endpoint endpoint, metrics::Registry* metrics);
  // One request, retried while it fails in a way worth retrying. `restart` runs before each
  // retry (a download starts over).
  core::Result<HttpResponse> send(const Call& call, const BodySink& sink = {},
                                  const std::function<void()>& restart = {});
  core::Result<HttpResponse> send_once(CurlTransport& transport, const Call& call,
                                       const BodySink& sink);
  void count(std::string_view operation, std::string_view outcome, double seconds);
  core::Status check_bucket();

  const S3Config config_;
  const S3Endpoint endpoint_;
  const SigningScope scope_;
  metrics::Registry* const metrics_;
  CurlTransport transport_;
  CurlTransport ping_transport_;
};

}  // namespace image_resize::storage::s3
