#include "integration/api_helpers.h"

#include <gtest/gtest-spi.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>

#include "core/hex.h"
#include "support/fixtures.h"

namespace image_resize::integration {
namespace {

// A blob as the store keeps it: any file of the filesystem store, and only the object itself
// (not its .md5, metadata or a part in flight) of s3rver's.
bool is_blob_file(const std::filesystem::directory_entry& entry) {
  if (!entry.is_regular_file()) return false;
  const std::string name = entry.path().filename().string();
  return name.find("._S3rver_") == std::string::npos || name.ends_with("._S3rver_object");
}

template <typename Keep>
std::size_t count_blob_files(const std::filesystem::path& dir, Keep keep) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (is_blob_file(entry) && keep(entry.path())) ++count;
  }
  return count;
}

}  // namespace

std::unique_ptr<Deployment> start_server(std::vector<std::string> args,
                                         std::filesystem::path data_dir,
                                         std::filesystem::path binary) {
  return std::make_unique<Deployment>(testing::DeploymentOptions{
      .binary = std::move(binary), .data_dir = std::move(data_dir), .args = std::move(args)});
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &size);
  return core::to_hex(digest, size);
}

std::string sign_link(const std::string& key, const std::string& path, std::int64_t expires) {
  return hmac_sha256_hex(key, path + "\n" + std::to_string(expires));
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return core::to_hex(digest, size);
}

std::string fixture(const std::string& name) {
  return testing::read_file(testing::fixture_image(name));
}

MultipartBody resize_form(std::string_view image, const Fields& fields, std::string_view filename,
                          std::string_view part_type) {
  MultipartBody form;
  form.file("file", filename, part_type, image);
  for (const auto& [name, value] : fields) form.field(name, value);
  return form;
}

HttpResponse submit(HttpClient& client, std::string_view image, const Fields& fields) {
  return client.post_multipart(kResizePath, resize_form(image, fields));
}

HttpResponse submit_url(HttpClient& client, const std::string& url, const Fields& fields) {
  MultipartBody form;
  form.field("url", url);
  for (const auto& [name, value] : fields) form.field(name, value);
  return client.post_multipart(kResizePath, form);
}

testing::HeaderList bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

std::string task_id_of(const HttpResponse& accepted) {
  const auto json = accepted.json();
  if (accepted.status != 202 || !json.is_object() || !json.contains("task_id") ||
      !json["task_id"].is_string()) {
    return "";
  }
  return json["task_id"].get<std::string>();
}

bool is_terminal(const nlohmann::json& status) {
  if (!status.is_object() || !status.contains("status")) return false;
  return status["status"] == "SUCCESS" || status["status"] == "FAILURE";
}

nlohmann::json wait_for_task(HttpClient& client, const std::string& id, int max_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  nlohmann::json last;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    const long wait = std::clamp<long>(left, 0, 30);
    const HttpResponse response =
        client.get(std::string(kStatusPath) + id + "?wait=" + std::to_string(wait));
    if (response.status != 200) {
      ADD_FAILURE() << "status of " << id << ": " << response;
      return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    last = response.json();
    if (is_terminal(last) || wait == 0) break;
  }
  return last;
}

FinishedTask run_task(HttpClient& client, std::string_view image, const Fields& fields) {
  const HttpResponse accepted = submit(client, image, fields);
  EXPECT_EQ(accepted.status, 202) << accepted;
  FinishedTask task{task_id_of(accepted), {}};
  if (task.id.empty()) return task;
  task.status = wait_for_task(client, task.id);
  EXPECT_TRUE(is_terminal(task.status)) << task.status.dump();
  return task;
}

std::string resize(HttpClient& client, std::string_view image, const Fields& fields) {
  const FinishedTask task = run_task(client, image, fields);
  if (task.id.empty()) return "";
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  const HttpResponse result = client.get(std::string(kResultPath) + task.id);
  EXPECT_EQ(result.status, 200) << result;
  return result.status == 200 ? result.body : "";
}

::testing::AssertionResult is_json_error(const HttpResponse& response, int status,
                                         std::string_view code) {
  auto failure = [&](std::string_view why) {
    return ::testing::AssertionFailure()
           << why << "; expected " << status << " " << code << ", got:\n"
           << response;
  };
  if (response.status != status) return failure("wrong status");
  const auto type = response.header("Content-Type").value_or("");
  if (type.rfind("application/json", 0) != 0) return failure("Content-Type is not JSON");
  const auto json = response.json();
  if (!json.is_object()) return failure("body is not a JSON object");
  if (json.value("result", "") != "error") return failure("\"result\" is not \"error\"");
  if (!json.contains("message") || !json["message"].is_string() ||
      json["message"].get<std::string>().empty()) {
    return failure("no \"message\"");
  }
  if (!json.contains("code") || !json["code"].is_string()) return failure("no \"code\"");
  if (!code.empty() && json["code"] != code) return failure("wrong \"code\"");
  return ::testing::AssertionSuccess();
}

bool is_uuid(std::string_view text) {
  static const std::regex kUuid(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(text.begin(), text.end(), kUuid);
}

std::string jpeg_with_comment(std::string_view text) {
  std::string jpeg = fixture("photo.jpg");
  const std::size_t length = text.size() + 2;
  std::string segment = "\xFF\xFE";
  segment.push_back(static_cast<char>(length >> 8));
  segment.push_back(static_cast<char>(length & 0xFF));
  segment.append(text);
  jpeg.insert(2, segment);
  return jpeg;
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  if (!is_iso8601_millis_utc(text)) return std::nullopt;
  std::tm tm{};
  int millis = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(::timegm(&tm)) + std::chrono::milliseconds(millis);
}

bool is_iso8601_millis_utc(std::string_view text) {
  static const std::regex kTime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
  return std::regex_match(text.begin(), text.end(), kTime);
}

::testing::AssertionResult server_is_alive(std::uint16_t port,
                                           const std::optional<TlsClientOptions>& tls) {
  HttpClient probe(port, std::chrono::seconds(5), "127.0.0.1", tls);
  const HttpResponse response = probe.get("/healthz");
  if (response.status == 200) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "/healthz: " << response;
}

std::size_t input_blob_count(const Deployment& deployment) {
  return count_blob_files(deployment.blob_dir() / "inputs",
                          [](const std::filesystem::path&) { return true; });
}

std::size_t blob_files_named_by(const Deployment& deployment, const std::string& id) {
  return count_blob_files(deployment.blob_dir(), [&id](const std::filesystem::path& path) {
    return path.filename().string().find(id) != std::string::npos;
  });
}

std::vector<std::uint16_t> worker_metrics_ports(const Deployment& deployment) {
  std::vector<std::uint16_t> ports;
  static const std::regex kLine(R"(metrics listening .*port=(\d+))");
  const std::string log = deployment.log();
  for (auto it = std::sregex_iterator(log.begin(), log.end(), kLine); it != std::sregex_iterator();
       ++it) {
    ports.push_back(static_cast<std::uint16_t>(std::stoi((*it)[1])));
  }
  return ports;
}

FailedStart start_expecting_failure(testing::ServerOptions options) {
  options.binary = IMAGE_RESIZE_BINARY;
  options.start_timeout = std::chrono::seconds(5);
  FailedStart outcome;
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    ServerProcess server(options);
    outcome.started = server.started();
    outcome.exit_code = server.terminate();
    outcome.log = server.log();
  }
  outcome.reported_failures = failures.size();
  return outcome;
}

std::unique_ptr<Deployment> SharedServerTest::server_;
std::optional<TlsClientOptions> SharedServerTest::tls_;

void SharedServerTest::start_with(std::vector<std::string> args,
                                  std::optional<TlsClientOptions> tls,
                                  std::filesystem::path binary) {
  tls_ = std::move(tls);
  server_ = start_server(std::move(args), {}, std::move(binary));
}

std::unique_ptr<HttpClient> SharedServerTest::new_client(std::uint16_t port,
                                                         std::chrono::milliseconds timeout) {
  return std::make_unique<HttpClient>(port, timeout, "127.0.0.1", tls_);
}

void SharedServerTest::TearDownTestSuite() {
  if (server_ && server_->running()) {
    EXPECT_EQ(server_->terminate(), 0) << server_->log_tail();
  }
  server_.reset();
  tls_.reset();
}

void SharedServerTest::SetUp() {
  ASSERT_TRUE(server_ && server_->started()) << "no server";
  client_port_ = server_->port();
  client_ = new_client(client_port_);
}

void SharedServerTest::TearDown() {
  client_.reset();
  if (!server_ || !server_->started()) return;
  EXPECT_TRUE(server_is_alive(server_->port(), tls_)) << server_->log_tail();
}

}  // namespace image_resize::integration
