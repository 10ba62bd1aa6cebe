// Webhooks (docs/API.md "Webhooks"): with --webhook-secret, a task with a callback_url has its
// status JSON POSTed to it when it ends, signed (checked here with OpenSSL, independently of the
// service), once; a receiver that fails is tried again until it answers 2xx, a 410 stops the
// retries, and a delivery interrupted by SIGKILL is made after the restart. The receiver is an
// origin server of the test's own on loopback (--outbound-allow 127.0.0.1); every other flag is
// at its default.
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "integration/api_helpers.h"
#include "support/origin_server.h"
#include "support/prometheus_text.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using testing::OriginReply;
using testing::OriginRequest;
using testing::OriginServer;

constexpr std::string_view kSecret = "test-webhook-secret-0123456789abcdefghijklmnop";

// The secret file, written once for every suite here.
const std::string& secret_file() {
  static const testing::TempDir dir;
  static const std::string path = [] {
    const std::string file = (dir.path() / "webhook-secret").string();
    std::ofstream(file) << kSecret << "\n";
    return file;
  }();
  return path;
}

std::vector<std::string> webhook_flags() {
  return {"--webhook-secret", secret_file(), "--outbound-allow", "127.0.0.1"};
}

// "t=...,v1=..." as a map.
std::map<std::string, std::string> signature_fields(const std::string& header) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t comma = std::min(header.find(',', start), header.size());
    const std::string part = header.substr(start, comma - start);
    const std::size_t equals = part.find('=');
    if (equals != std::string::npos) fields[part.substr(0, equals)] = part.substr(equals + 1);
    start = comma + 1;
  }
  return fields;
}

// The delivery is signed with the secret over "<t>.<body>", and t is now.
::testing::AssertionResult is_signed(const OriginRequest& delivery) {
  const auto fields = signature_fields(delivery.header("x-image-resize-signature"));
  if (!fields.contains("t") || !fields.contains("v1")) {
    return ::testing::AssertionFailure()
           << "no t= and v1= in '" << delivery.header("x-image-resize-signature") << "'";
  }
  const std::string expected = hmac_sha256_hex(kSecret, fields.at("t") + "." + delivery.body);
  if (fields.at("v1") != expected) {
    return ::testing::AssertionFailure() << "v1=" << fields.at("v1") << ", expected " << expected;
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (std::abs(now - std::stoll(fields.at("t"))) > 60) {
    return ::testing::AssertionFailure() << "t=" << fields.at("t") << " is not now (" << now << ")";
  }
  return ::testing::AssertionSuccess();
}

// The task's status once its webhook is no longer pending (or `max_seconds` passed).
nlohmann::json wait_for_webhook(HttpClient& client, const std::string& id, int max_seconds = 30) {
  nlohmann::json status;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  do {
    status = wait_for_task(client, id, max_seconds);
    if (status.contains("webhook") && status["webhook"].value("state", "") != "pending") break;
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return status;
}

HttpResponse submit_with_callback(HttpClient& client, std::string_view image,
                                  const std::string& callback) {
  return submit(client, image, {{"width", "32"}, {"callback_url", callback}});
}

class Webhooks : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    std::vector<std::string> flags = webhook_flags();
    flags.insert(flags.end(), {"--metrics-port", "0"});  // the workers' own, on Redis
    start_with(flags);
  }

 protected:
  // A series summed over the processes that run workers: serve, or every worker.
  double worker_metric(const std::string& series) {
    std::vector<std::uint16_t> ports = worker_metrics_ports(server());
    if (server().backend() == testing::Backend::sqlite) ports = {client_port()};
    double sum = 0;
    for (std::uint16_t port : ports) {
      HttpClient from(port);
      const HttpResponse response = from.get("/metrics");
      EXPECT_EQ(response.status, 200) << response;
      sum += testing::parse_exposition(response.body).value(series);
    }
    return sum;
  }

  OriginServer receiver_;
};

TEST_F(Webhooks, ArriveOncePerTaskSignedWithTheStatus) {
  receiver_.reply("/done", OriginReply::with_status(204));
  const HttpResponse accepted =
      submit_with_callback(client(), fixture("photo.jpg"), receiver_.url("/done"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  ASSERT_TRUE(receiver_.wait_for("/done", 1, 30s)) << server().log_tail();

  const OriginRequest delivery = receiver_.requests("/done").front();
  EXPECT_EQ(delivery.method, "POST");
  EXPECT_EQ(delivery.header("content-type"), "application/json");
  EXPECT_EQ(delivery.header("x-image-resize-delivery"), id);
  EXPECT_TRUE(is_signed(delivery));
  const auto body = nlohmann::json::parse(delivery.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << delivery.body;
  EXPECT_EQ(body.value("task_id", ""), id);
  EXPECT_EQ(body.value("status", ""), "SUCCESS");
  EXPECT_EQ(body["result"].value("width", 0), 32);

  const nlohmann::json status = wait_for_webhook(client(), id);
  EXPECT_EQ(status["webhook"].value("state", ""), "delivered") << status.dump();
  EXPECT_EQ(status["webhook"].value("attempts", 0), 1);
  EXPECT_EQ(status["webhook"].value("last_status", 0), 204);
  EXPECT_EQ(status["request"].value("callback_url", ""), receiver_.url("/done"));
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(receiver_.count("/done"), 1U) << "delivered twice";
}

TEST_F(Webhooks, AFailedTaskIsDeliveredToo) {
  receiver_.reply("/failed", OriginReply::with_status(200));
  const HttpResponse accepted =
      submit_with_callback(client(), fixture("truncated.jpg"), receiver_.url("/failed"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  ASSERT_TRUE(receiver_.wait_for("/failed", 1, 30s)) << server().log_tail();
  const OriginRequest delivery = receiver_.requests("/failed").front();
  EXPECT_TRUE(is_signed(delivery));
  const auto body = nlohmann::json::parse(delivery.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << delivery.body;
  EXPECT_EQ(body.value("status", ""), "FAILURE");
  EXPECT_EQ(body["error"].value("code", ""), "decode_failed");
}

TEST_F(Webhooks, AReceiverThatFailsTwiceGetsItOnTheThirdTry) {
  receiver_.reply_sequence("/flaky", {OriginReply::with_status(500), OriginReply::with_status(503),
                                      OriginReply::with_status(200)});
  const HttpResponse accepted =
      submit_with_callback(client(), fixture("photo.jpg"), receiver_.url("/flaky"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  const nlohmann::json status = wait_for_webhook(client(), id);
  EXPECT_EQ(status["webhook"].value("state", ""), "delivered") << status.dump();
  EXPECT_EQ(status["webhook"].value("attempts", 0), 3);
  EXPECT_EQ(status["webhook"].value("last_status", 0), 200);
  const auto deliveries = receiver_.requests("/flaky");
  ASSERT_EQ(deliveries.size(), 3U);
  for (const OriginRequest& delivery : deliveries) {
    EXPECT_TRUE(is_signed(delivery));
    EXPECT_EQ(delivery.header("x-image-resize-delivery"), id);
  }
  // Backoff: the second attempt waits at least half a second, the third at least one.
  EXPECT_GE(deliveries[1].received_at - deliveries[0].received_at, 500ms);
  EXPECT_GE(deliveries[2].received_at - deliveries[1].received_at, 1s);
}

TEST_F(Webhooks, GoneStopsTheRetries) {
  receiver_.reply("/gone", OriginReply::with_status(410));
  const HttpResponse accepted =
      submit_with_callback(client(), fixture("photo.jpg"), receiver_.url("/gone"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const nlohmann::json status = wait_for_webhook(client(), task_id_of(accepted));
  EXPECT_EQ(status["webhook"].value("state", ""), "failed") << status.dump();
  EXPECT_EQ(status["webhook"].value("last_status", 0), 410);
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(receiver_.count("/gone"), 1U);
}

TEST_F(Webhooks, AnImageByUrlWithACallback) {
  OriginServer images;
  images.reply("/photo.jpg", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  receiver_.reply("/done", OriginReply::with_status(202));
  const HttpResponse accepted =
      submit_url(client(), images.url("/photo.jpg"),
                 {{"width", "16"}, {"callback_url", receiver_.url("/done")}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  ASSERT_TRUE(receiver_.wait_for("/done", 1, 30s)) << server().log_tail();
  const auto body = nlohmann::json::parse(receiver_.requests("/done").front().body, nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.value("status", ""), "SUCCESS");
  EXPECT_EQ(body["request"].value("url", ""), images.url("/photo.jpg"));
}

TEST_F(Webhooks, MetricsCountDeliveriesAndFetchesByOutcome) {
  const std::string delivered = R"(image_resize_webhook_deliveries_total{outcome="delivered"})";
  const std::string retried = R"(image_resize_webhook_deliveries_total{outcome="retry"})";
  const std::string fetched = R"(image_resize_outbound_fetches_total{outcome="ok"})";
  const std::string not_found =
      R"(image_resize_outbound_fetches_total{outcome="source_http_error"})";
  const double delivered_before = worker_metric(delivered);
  const double retried_before = worker_metric(retried);
  const double fetched_before = worker_metric(fetched);
  const double not_found_before = worker_metric(not_found);

  OriginServer images;
  images.reply("/photo.jpg", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  receiver_.reply_sequence("/m", {OriginReply::with_status(500), OriginReply::with_status(200)});
  const HttpResponse accepted = submit_url(
      client(), images.url("/photo.jpg"), {{"width", "16"}, {"callback_url", receiver_.url("/m")}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const nlohmann::json status = wait_for_webhook(client(), task_id_of(accepted));
  ASSERT_EQ(status["webhook"].value("state", ""), "delivered") << status.dump();
  wait_for_task(client(),
                task_id_of(submit_url(client(), images.url("/missing.jpg"), {{"width", "16"}})));

  EXPECT_EQ(worker_metric(delivered) - delivered_before, 1);
  EXPECT_GE(worker_metric(retried) - retried_before, 1);  // other tasks' may be retrying too
  EXPECT_EQ(worker_metric(fetched) - fetched_before, 1);
  EXPECT_EQ(worker_metric(not_found) - not_found_before, 1);
  EXPECT_GE(worker_metric("image_resize_webhook_delivery_seconds_count"), 2);
}

TEST_F(Webhooks, TheDashboardShowsFailingWebhooks) {
  receiver_.reply("/down", OriginReply::with_status(500));
  const HttpResponse accepted =
      submit_with_callback(client(), fixture("photo.jpg"), receiver_.url("/down"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  ASSERT_TRUE(receiver_.wait_for("/down", 1, 30s)) << server().log_tail();
  nlohmann::json shown;
  for (int i = 0; i < 100 && shown.is_null(); ++i) {
    const auto dashboard = nlohmann::json::parse(client().get("/api/v1/dashboard").body);
    for (const auto& webhook : dashboard["failing_webhooks"]) {
      if (webhook.value("task_id", "") == id) shown = webhook;
    }
    if (shown.is_null()) std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(shown.is_null()) << "the failing webhook is not on the dashboard";
  EXPECT_EQ(shown.value("host", ""), receiver_.authority());
  EXPECT_EQ(shown.value("state", ""), "pending");
  EXPECT_EQ(shown.value("last_status", 0), 500);
  EXPECT_EQ(client().del(std::string(kTasksPath) + id).status, 204);
}

TEST_F(Webhooks, ACallbackToADeniedAddressIsRefused) {
  for (const char* callback : {"http://127.0.0.2:9/hook", "http://169.254.169.254/hook"}) {
    SCOPED_TRACE(callback);
    EXPECT_TRUE(is_json_error(submit_with_callback(client(), fixture("photo.jpg"), callback), 422,
                              "url_forbidden"));
  }
  EXPECT_TRUE(is_json_error(submit_with_callback(client(), fixture("photo.jpg"), "ftp://x/"), 422,
                            "invalid_url"));
}

// SIGKILL between finishing a task and delivering its webhook: the receiver has the request but
// has not answered when every process of the service dies. The new processes deliver it again
// (at least once); on Redis once the dead deliverer's claim has run out.
TEST(WebhookDurability, AnInterruptedDeliveryIsMadeAfterARestart) {
  OriginServer receiver;
  receiver.reply_sequence("/done", {OriginReply::hanging(), OriginReply::with_status(204)});
  testing::TempDir data;
  auto first = start_server(webhook_flags(), data.path());
  ASSERT_TRUE(first->started());
  HttpClient client(first->port());
  const HttpResponse accepted =
      submit_with_callback(client, fixture("photo.jpg"), receiver.url("/done"));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  ASSERT_TRUE(receiver.wait_for("/done", 1, 30s)) << first->log_tail();
  first->kill9();

  auto second = start_server(webhook_flags(), data.path());
  ASSERT_TRUE(second->started());
  ASSERT_TRUE(receiver.wait_for("/done", 2, 60s)) << second->log_tail();
  const auto deliveries = receiver.requests("/done");
  EXPECT_EQ(deliveries[1].header("x-image-resize-delivery"), id);
  EXPECT_TRUE(is_signed(deliveries[1]));
  HttpClient after(second->port());
  const nlohmann::json status = wait_for_webhook(after, id);
  EXPECT_EQ(status["webhook"].value("state", ""), "delivered") << status.dump();
}

}  // namespace
}  // namespace image_resize::integration
