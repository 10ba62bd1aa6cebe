#pragma once
// What the integration tests do over and over against the real binary: start a server, upload
// an image with form fields, wait for the task, download the result, and look at the image
// that came back with libvips. Also the contract checks docs/API.md spells out (error shape, UUIDs,
// timestamps).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/deployment.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace image_resize::integration {

using testing::Deployment;
using testing::HttpClient;
using testing::HttpResponse;
using testing::MultipartBody;
using testing::ServerProcess;
using testing::TlsClientOptions;
using Fields = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kResizePath = "/api/v1/images/resize";
inline constexpr std::string_view kStatusPath = "/api/v1/status/";
inline constexpr std::string_view kResultPath = "/api/v1/images/result/";
inline constexpr std::string_view kTasksPath = "/api/v1/tasks/";

// Starts the service (the binary this test was built with, unless `binary` names another) on a
// free port, in the backend IMAGE_RESIZE_TEST_BACKEND names: `serve`, or `api` + `worker` on a
// redis-server (with or without S3).
std::unique_ptr<Deployment> start_server(std::vector<std::string> args = {},
                                         std::filesystem::path data_dir = {},
                                         std::filesystem::path binary = IMAGE_RESIZE_BINARY);

// The bytes of tests/fixtures/images/<name>.
std::string fixture(const std::string& name);
// photo.jpg with `text` in a JPEG comment segment right after SOI: still a valid JPEG, so it
// passes the upload's header check and reaches a worker (for the imaging test hooks' markers).
std::string jpeg_with_comment(std::string_view text);

// A resize form: the file part (named "file") and the fields, in that order.
MultipartBody resize_form(std::string_view image, const Fields& fields,
                          std::string_view filename = "upload.bin",
                          std::string_view part_type = "application/octet-stream");
HttpResponse submit(HttpClient& client, std::string_view image, const Fields& fields);
// A resize form without a file: `url` (the image's address) and the fields.
HttpResponse submit_url(HttpClient& client, const std::string& url, const Fields& fields);
// The task_id of a 202 answer; "" when there is none.
std::string task_id_of(const HttpResponse& accepted);

// GET /api/v1/status/<id>?wait=... repeated until the task is SUCCESS or FAILURE or
// `max_seconds` pass; returns the last status JSON (a discarded value on a non-200).
nlohmann::json wait_for_task(HttpClient& client, const std::string& id, int max_seconds = 60);
bool is_terminal(const nlohmann::json& status);

// Uploads, expects 202, waits; the task id and its final status. Adds failures on the way.
struct FinishedTask {
  std::string id;
  nlohmann::json status;
};
FinishedTask run_task(HttpClient& client, std::string_view image, const Fields& fields);
// run_task, expects SUCCESS and a 200 download; the downloaded bytes ("" on failure).
std::string resize(HttpClient& client, std::string_view image, const Fields& fields);

// {"Authorization": "Bearer <key>"}, for --api-keys-file.
testing::HeaderList bearer(const std::string& key);

// --- contract checks, for EXPECT_TRUE ---
// {"result":"error","message":non-empty,"code":code} with Content-Type application/json.
::testing::AssertionResult is_json_error(const HttpResponse& response, int status,
                                         std::string_view code);
// 8-4-4-4-12 lowercase or uppercase hex.
bool is_uuid(std::string_view text);
// 2026-11-27T23:50:00.123Z
bool is_iso8601_millis_utc(std::string_view text);
// A time as the API writes it (2026-01-02T03:04:05.678Z); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);
// GET /healthz answers 200 (over HTTPS with `tls`).
::testing::AssertionResult server_is_alive(std::uint16_t port,
                                           const std::optional<TlsClientOptions>& tls = {});

// The ports of the workers' --metrics-port, from their "metrics listening" log lines (Redis
// backend; none in serve).
std::vector<std::uint16_t> worker_metrics_ports(const Deployment& deployment);

// What a server that must not start did: ServerProcess reports "did not start" as a test
// failure, which is expected here and intercepted (reported_failures counts it).
struct FailedStart {
  bool started = false;
  int exit_code = -1;
  std::string log;
  int reported_failures = 0;
};
FailedStart start_expecting_failure(testing::ServerOptions options);

// Lowercase hex of the HMAC-SHA256 of `message` under `key`, with OpenSSL, independently of the
// service.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
// The signature of a signed result link (--url-signing-key): the hex HMAC-SHA256 of
// "<path>\n<expires>" with `key`, computed here with OpenSSL, independently of the service.
std::string sign_link(const std::string& key, const std::string& path, std::int64_t expires);
// Lowercase hex of the SHA-256 of `text` (an API key written as sha256:<hex>).
std::string sha256_hex(std::string_view text);

// --- what the blob store keeps (the data dir's files, or the S3 server's objects) ---
// Blobs whose name holds `id` (the store names inputs and results by their task ids).
std::size_t blob_files_named_by(const Deployment& deployment, const std::string& id);
// Input blobs kept now (under inputs/).
std::size_t input_blob_count(const Deployment& deployment);

// --- the images that come back ---
struct ImageInfo {
  std::string format;  // by magic bytes: jpeg, png, webp, gif, tiff, avif, heic, or ""
  int width = 0;
  int height = 0;  // of one frame
  int bands = 0;
  int pages = 1;
  bool has_alpha = false;
  std::vector<std::string> fields;  // libvips metadata field names
};
// nullopt when libvips cannot decode the bytes.
std::optional<ImageInfo> inspect_image(std::string_view bytes);
std::string sniff_format(std::string_view bytes);
// The pixel at (x, y) of the first frame, one value per band.
std::vector<double> pixel_at(std::string_view bytes, int x, int y);
// A rectangle of the first frame, as PNG bytes: expected pictures made without the server.
std::string extract_area_png(std::string_view bytes, int left, int top, int width, int height);
// The EXIF orientation libvips reads from the bytes; 1 (upright) when there is none.
int exif_orientation(std::string_view bytes);
// A black image made by libvips, encoded by `suffix` (".png", ".jpg"): small to upload, as slow
// to decode as its size makes it.
std::string blank_image(int width, int height, int bands, const char* suffix);

// A fixture server shared by all tests of one suite, and a fresh client per test. Each test
// ends by checking the server is still alive.
// A suite that needs other flags hides SetUpTestSuite with one that calls start_with(flags);
// one whose server speaks HTTPS also gives the clients' TLS options.
class SharedServerTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() { start_with({}); }
  static void TearDownTestSuite();

 protected:
  static void start_with(std::vector<std::string> args,
                         std::optional<TlsClientOptions> tls = std::nullopt,
                         std::filesystem::path binary = IMAGE_RESIZE_BINARY);
  // A client of `port`, over TLS when the suite's server speaks it.
  static std::unique_ptr<HttpClient> new_client(
      std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void SetUp() override;
  void TearDown() override;
  static Deployment& server() { return *server_; }
  HttpClient& client() { return *client_; }
  // The port client() talks to (one of the API processes in the Redis deployment).
  std::uint16_t client_port() const { return client_port_; }

  static std::unique_ptr<Deployment> server_;
  static std::optional<TlsClientOptions> tls_;
  std::unique_ptr<HttpClient> client_;
  std::uint16_t client_port_ = 0;
};

}  // namespace image_resize::integration
