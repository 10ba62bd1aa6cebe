// The scaled-out deployment end to end, as docker-compose.yml runs it but with local processes
// (no Docker engine needed): the README's requests go to nginx with the deploy/ proxy settings,
// which balances them over two `api` processes; two `worker` processes resize; all share one
// redis-server and one data dir.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#include <vips/vips8>

#include "deploy/local_topology.h"
#include "support/fixtures.h"
#include "support/http_client.h"

namespace image_resize::deploy_test {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;
using testing::HttpResponse;
using testing::MultipartBody;

constexpr std::string_view kUnknownId = "0b7e9c1e-5d1a-4c3b-9f7e-2a6d8c4b1e90";

// width × height of an encoded image, decoded by libvips; nullopt when it does not decode.
std::optional<std::pair<int, int>> image_size(const std::string& bytes) {
  static std::once_flag once;
  std::call_once(once, [] { vips_init("image-resize-deploy-test"); });
  try {
    const auto image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    return std::pair{image.width(), image.height()};
  } catch (const vips::VError&) {
    vips_error_clear();
    return std::nullopt;
  }
}

// The `code` of a JSON error body; "" when the body is not one.
std::string error_code(const HttpResponse& response) {
  const auto body = response.json();
  return body.is_object() ? body.value("code", "") : "";
}

HttpResponse upload(HttpClient& client, int width, int height) {
  static const std::string photo = testing::read_file(testing::fixture_image("photo.jpg"));
  MultipartBody form;
  form.file("file", "photo.jpg", "image/jpeg", photo)
      .field("width", std::to_string(width))
      .field("height", std::to_string(height));
  return client.post_multipart("/api/v1/images/resize", form);
}

// An upload's request head promising `content_length` bytes of body, and no body.
std::string upload_head_only(std::size_t content_length) {
  return "POST /api/v1/images/resize HTTP/1.1\r\nHost: localhost\r\n"
         "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " +
         std::to_string(content_length) + "\r\n\r\n";
}

// The status after long-polling until the task ends (or a minute passes).
std::string wait_until_done(HttpClient& client, const std::string& id) {
  std::string status;
  for (int poll = 0; poll < 2; ++poll) {
    const HttpResponse response = client.get("/api/v1/status/" + id + "?wait=30");
    if (response.status != 200) return "HTTP " + std::to_string(response.status);
    status = response.json().value("status", "");
    if (status == "SUCCESS" || status == "FAILURE") break;
  }
  return status;
}

// The access-log line of the last request to `path`, polled for up to 5 s (nginx writes it when
// the request is done); "" if none appears.
std::string access_log_line(NginxProcess& nginx, std::string_view path) {
  const std::string needle = " " + std::string(path) + " HTTP/1.1\"";
  for (auto waited = 0ms; waited < 5000ms; waited += 50ms) {
    const std::string log = nginx.access_log();
    const auto at = log.rfind(needle);
    if (at != std::string::npos) {
      const auto begin = log.rfind('\n', at) == std::string::npos ? 0 : log.rfind('\n', at) + 1;
      return log.substr(begin, log.find('\n', at) - begin);
    }
    std::this_thread::sleep_for(50ms);
  }
  return "";
}

class ScaledOutDeployment : public ::testing::Test {
 protected:
  void SetUp() override {
    nginx_binary_ = NginxProcess::find_binary();
    if (!nginx_binary_) GTEST_SKIP() << "nginx is not installed (apt-get install nginx)";
  }

  // One resize thread per worker, so that both worker processes get tasks.
  LocalTopology& start(std::vector<std::string> args = {"--workers", "1"}) {
    topology_ = std::make_unique<LocalTopology>(*nginx_binary_, std::move(args));
    return *topology_;
  }

  std::optional<std::filesystem::path> nginx_binary_;
  std::unique_ptr<LocalTopology> topology_;
};

TEST_F(ScaledOutDeployment, ReadmeRequestsWorkThroughNginx) {
  LocalTopology& topology = start();
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port(), 70s);

  const HttpResponse accepted = upload(client, 120, 80);
  ASSERT_EQ(accepted.status, 202) << accepted;
  const auto body = accepted.json();
  EXPECT_EQ(body.value("status", ""), "accepted");
  const std::string id = body.value("task_id", "");
  ASSERT_FALSE(id.empty()) << accepted;
  EXPECT_EQ(body.value("status_url", ""), "/api/v1/status/" + id);
  EXPECT_EQ(body.value("result_url", ""), "/api/v1/images/result/" + id);

  EXPECT_EQ(wait_until_done(client, id), "SUCCESS") << topology.log_tails();

  const HttpResponse result = client.get("/api/v1/images/result/" + id);
  ASSERT_EQ(result.status, 200) << result;
  EXPECT_EQ(result.header("Content-Type"), "image/jpeg");
  EXPECT_EQ(image_size(result.body), (std::pair{120, 80}));

  // It was nginx that answered, with a replica behind it.
  EXPECT_NE(
      access_log_line(topology.nginx(), "/api/v1/images/result/" + id).find("upstream=127.0.0.1:"),
      std::string::npos)
      << topology.nginx().access_log();
}

TEST_F(ScaledOutDeployment, UnknownTaskIsJson404) {
  LocalTopology& topology = start();
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port());

  for (const std::string path : {"/api/v1/status/", "/api/v1/images/result/"}) {
    SCOPED_TRACE(path);
    const HttpResponse response = client.get(path + std::string(kUnknownId));
    EXPECT_EQ(response.status, 404) << response;
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    EXPECT_EQ(error_code(response), "task_not_found") << response;
  }
}

// proxy_request_buffering off: nginx hands the request head to a replica at once, and the
// replica's 413 comes back before any body is sent. (With buffering, nginx would wait for the
// 2 MiB that never come, and the client would time out.)
TEST_F(ScaledOutDeployment, ServiceRejectsAnOversizedUploadBeforeItsBody) {
  LocalTopology& topology = start({"--workers", "1", "--max-upload-bytes", "1MiB"});
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port(), 10s);

  const HttpResponse response = client.send_raw(upload_head_only(2 * 1024 * 1024));
  EXPECT_EQ(response.status, 413) << response;
  EXPECT_EQ(error_code(response), "payload_too_large") << response;
  EXPECT_LT(response.elapsed, 5s);
  const std::string line = access_log_line(topology.nginx(), "/api/v1/images/resize");
  EXPECT_NE(line.find("upstream=127.0.0.1:"), std::string::npos) << line;
}

// Above client_max_body_size (50m) nginx answers itself, in the service's JSON error shape.
TEST_F(ScaledOutDeployment, NginxRejectsAnUploadOverItsLimitAsJson) {
  LocalTopology& topology = start();
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port(), 10s);

  const HttpResponse response = client.send_raw(upload_head_only(60 * 1024 * 1024));
  EXPECT_EQ(response.status, 413) << response;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(error_code(response), "payload_too_large") << response;
  const std::string line = access_log_line(topology.nginx(), "/api/v1/images/resize");
  EXPECT_NE(line.find("upstream=-"), std::string::npos) << line;
}

TEST_F(ScaledOutDeployment, LoadIsSpreadOverBothApisAndBothWorkers) {
  constexpr std::size_t kTasks = 12;
  LocalTopology& topology = start();
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port(), 70s);

  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kTasks; ++i) {
    const HttpResponse accepted = upload(client, 40 + static_cast<int>(i), 30);
    ASSERT_EQ(accepted.status, 202) << accepted;
    ids.push_back(accepted.json().value("task_id", ""));
  }
  for (const auto& id : ids) {
    EXPECT_EQ(wait_until_done(client, id), "SUCCESS") << id << "\n" << topology.log_tails();
  }

  std::size_t accepted_total = 0;
  for (std::size_t i = 0; i < LocalTopology::kApis; ++i) {
    const std::size_t accepted = topology.api(i).count_in_log("task accepted");
    EXPECT_GE(accepted, 1u) << "api " << i << " served no upload";
    accepted_total += accepted;
  }
  EXPECT_EQ(accepted_total, kTasks);
  // A worker logs "task succeeded" just after it records the task, so a status may say SUCCESS
  // a moment before the line is written.
  const auto succeeded_lines = [&] {
    std::size_t lines = 0;
    for (std::size_t i = 0; i < LocalTopology::kWorkers; ++i) {
      lines += topology.worker(i).count_in_log("task succeeded");
    }
    return lines;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (succeeded_lines() < kTasks && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  std::size_t succeeded_total = 0;
  for (std::size_t i = 0; i < LocalTopology::kWorkers; ++i) {
    const std::size_t succeeded = topology.worker(i).count_in_log("task succeeded");
    EXPECT_GE(succeeded, 1u) << "worker " << i << " resized nothing";
    succeeded_total += succeeded;
  }
  EXPECT_EQ(succeeded_total, kTasks) << topology.log_tails();
}

// What `docker compose stop` does (SIGTERM, then SIGKILL after stop_grace_period).
TEST_F(ScaledOutDeployment, EveryProcessStopsCleanlyOnSigterm) {
  LocalTopology& topology = start();
  ASSERT_TRUE(topology.started()) << topology.log_tails();
  HttpClient client(topology.port(), 70s);
  const HttpResponse accepted = upload(client, 64, 64);
  ASSERT_EQ(accepted.status, 202) << accepted;
  EXPECT_EQ(wait_until_done(client, accepted.json().value("task_id", "")), "SUCCESS");

  for (std::size_t i = 0; i < LocalTopology::kApis; ++i) {
    EXPECT_EQ(topology.api(i).terminate(40s), 0) << "api " << i << "\n"
                                                 << topology.api(i).log_tail();
  }
  for (std::size_t i = 0; i < LocalTopology::kWorkers; ++i) {
    EXPECT_EQ(topology.worker(i).terminate(40s), 0) << "worker " << i << "\n"
                                                    << topology.worker(i).log_tail();
  }
}

}  // namespace
}  // namespace image_resize::deploy_test
