// What operators and browsers see (issue 6): /metrics counters that move by exactly what was
// done, the dashboard's data, the embedded pages with their security headers, a request id in
// every log line, and a worker's own --metrics-port in the scaled-out mode.
#include <regex>
#include <set>
#include <thread>

#include "integration/api_helpers.h"
#include "support/prometheus_text.h"

namespace image_resize::integration {
namespace {

using testing::Exposition;

class Observability : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    // Beats five times a second, so a worker shows as alive on the dashboard at once.
    start_with({"--metrics-port", "0", "--heartbeat-interval", "200ms"});
  }

 protected:
  Exposition scrape(HttpClient& from) {
    const HttpResponse response = from.get("/metrics");
    EXPECT_EQ(response.status, 200) << response;
    Exposition exposition = testing::parse_exposition(response.body);
    EXPECT_TRUE(exposition.errors.empty()) << ::testing::PrintToString(exposition.errors);
    return exposition;
  }

  // Task metrics live where tasks run: serve's own /metrics, or every worker's --metrics-port.
  double task_metric(const std::string& series) {
    if (server().backend() == testing::Backend::sqlite) return scrape(client()).value(series);
    double sum = 0;
    for (std::uint16_t port : worker_metrics_ports(server())) {
      HttpClient worker(port);
      sum += scrape(worker).value(series);
    }
    return sum;
  }
};

TEST_F(Observability, HttpCountersMoveByExactlyTheRequestsMade) {
  const std::string accepted = R"(image_resize_http_requests_total{code="202",route="resize"})";
  const std::string rejected = R"(image_resize_http_requests_total{code="422",route="resize"})";
  const std::string unrouted = R"(image_resize_http_requests_total{code="404",route="none"})";
  const std::string resize_durations =
      R"(image_resize_http_request_duration_seconds_count{route="resize"})";
  const std::string bytes_in = "image_resize_http_request_bytes_total";

  const Exposition before = scrape(client());
  const std::string image = fixture("photo.jpg");
  run_task(client(), image, {{"width", "30"}});
  run_task(client(), image, {{"width", "40"}});
  EXPECT_EQ(submit(client(), image, {{"width", "0"}}).status, 422);
  EXPECT_EQ(client().get("/no/such/route").status, 404);
  const Exposition after = scrape(client());

  EXPECT_EQ(after.value(accepted) - before.value(accepted), 2);
  EXPECT_EQ(after.value(rejected) - before.value(rejected), 1);
  EXPECT_EQ(after.value(unrouted) - before.value(unrouted), 1);
  EXPECT_EQ(after.value(resize_durations) - before.value(resize_durations), 3);
  EXPECT_GE(after.value(bytes_in) - before.value(bytes_in),
            3.0 * static_cast<double>(image.size()));
  EXPECT_GT(after.value("process_resident_memory_bytes"), 1e6);
  EXPECT_TRUE(after.samples.contains("image_resize_vips_memory_bytes"));
  EXPECT_TRUE(after.samples.contains(R"(image_resize_queue_depth{priority="normal"})"));
  EXPECT_TRUE(
      after.samples.contains(R"(image_resize_queue_oldest_waiting_seconds{priority="low"})"));
}

TEST_F(Observability, TaskCountersAndHistogramsMoveByTheTasksFinished) {
  const std::string succeeded = R"(image_resize_tasks_finished_total{status="SUCCESS"})";
  const std::string failed =
      R"(image_resize_tasks_finished_total{code="decode_failed",status="FAILURE"})";
  const std::string processed = "image_resize_task_processing_seconds_count";
  const std::string waited = R"(image_resize_task_queue_wait_seconds_count{priority="normal"})";

  const double succeeded_before = task_metric(succeeded);
  const double failed_before = task_metric(failed);
  const double processed_before = task_metric(processed);
  const double waited_before = task_metric(waited);
  // Widths no other test of the suite asks: a repeated upload is not resized again.
  for (int width : {10, 20, 35})
    run_task(client(), fixture("photo.jpg"), {{"width", std::to_string(width)}});
  const FinishedTask broken = run_task(client(), fixture("truncated.jpg"), {{"width", "20"}});
  ASSERT_EQ(broken.status.value("status", ""), "FAILURE") << broken.status.dump();

  EXPECT_EQ(task_metric(succeeded) - succeeded_before, 3);
  EXPECT_EQ(task_metric(failed) - failed_before, 1);
  EXPECT_EQ(task_metric(processed) - processed_before, 4);
  EXPECT_EQ(task_metric(waited) - waited_before, 4);
}

TEST_F(Observability, DashboardShowsWorkersThroughputAndRecentFailures) {
  for (int width : {11, 22, 33})
    run_task(client(), fixture("photo.jpg"), {{"width", std::to_string(width)}});
  const FinishedTask broken = run_task(client(), fixture("truncated.png"), {{"width", "20"}});
  ASSERT_EQ(broken.status.value("status", ""), "FAILURE") << broken.status.dump();

  // The workers' numbers arrive with their next heartbeat (every 200 ms here).
  HttpResponse response;
  nlohmann::json dashboard;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    response = client().get("/api/v1/dashboard");
    ASSERT_EQ(response.status, 200) << response;
    dashboard = response.json();
    const auto& counts = dashboard["throughput"];
    if (counts["succeeded"].get<int>() >= 3 && counts["failed"].get<int>() >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(response.header("Cache-Control").value_or(""), "no-store");
  std::set<std::string> keys;
  for (const auto& [key, value] : dashboard.items()) keys.insert(key);
  EXPECT_EQ(keys,
            (std::set<std::string>{"generated_at", "operator", "queue", "workers", "throughput",
                                   "processing_seconds", "waiting_seconds", "history",
                                   "recent_failures", "failing_webhooks", "batches"}));
  EXPECT_EQ(dashboard["operator"], false);  // no admin key, no --admin-on-loopback
  EXPECT_TRUE(dashboard["failing_webhooks"].is_array());
  EXPECT_TRUE(dashboard["batches"].is_array());
  EXPECT_TRUE(is_iso8601_millis_utc(dashboard["generated_at"].get<std::string>()));
  for (const char* priority : {"high", "normal", "low"}) {
    EXPECT_TRUE(dashboard["queue"][priority].is_number_integer()) << priority;
  }

  const std::size_t worker_processes =
      server().backend() == testing::Backend::sqlite ? 1 : server().process_count() - 2;
  ASSERT_EQ(dashboard["workers"].size(), worker_processes) << dashboard.dump();
  for (const auto& worker : dashboard["workers"]) {
    EXPECT_TRUE(worker["alive"].get<bool>()) << worker.dump();
    EXPECT_GE(worker["threads"].get<int>(), 1) << worker.dump();
    EXPECT_TRUE(is_iso8601_millis_utc(worker["last_seen"].get<std::string>())) << worker.dump();
  }

  // Other tests of this suite may have run tasks within the same minute: ours at least.
  const auto& throughput = dashboard["throughput"];
  EXPECT_GE(throughput["succeeded"].get<int>(), 3) << dashboard.dump();
  EXPECT_GE(throughput["failed"].get<int>(), 1) << dashboard.dump();
  EXPECT_GT(throughput["tasks_per_second"].get<double>(), 0) << dashboard.dump();
  const double p50 = dashboard["processing_seconds"]["p50"].get<double>();
  const double p99 = dashboard["processing_seconds"]["p99"].get<double>();
  EXPECT_GT(p50, 0);
  EXPECT_GE(p99, p50);
  EXPECT_LT(p99, 30);

  // The four tasks were uploaded at normal priority; each worker measured their queue wait.
  const auto& waited = dashboard["waiting_seconds"]["normal"];
  EXPECT_GE(waited["tasks"].get<int>(), 4) << dashboard.dump();
  EXPECT_GE(waited["p99"].get<double>(), waited["p50"].get<double>()) << dashboard.dump();
  EXPECT_LT(waited["p99"].get<double>(), 30) << dashboard.dump();
  // The API process sampled its history when it started.
  EXPECT_EQ(dashboard["history"]["interval_seconds"], 10);
  EXPECT_GE(dashboard["history"]["samples"].size(), 1u) << dashboard.dump();

  ASSERT_FALSE(dashboard["recent_failures"].empty()) << dashboard.dump();
  const auto& newest = dashboard["recent_failures"][0];
  EXPECT_EQ(newest["task_id"], broken.id);
  EXPECT_EQ(newest["code"], "decode_failed");
  EXPECT_FALSE(newest["message"].get<std::string>().empty());
}

// Every page and asset the home page and the dashboard link to, from their HTML.
std::set<std::string> linked_assets(const std::string& html) {
  std::set<std::string> assets;
  static const std::regex kLink(R"re((?:src|href)="(/assets/[^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kLink);
       it != std::sregex_iterator(); ++it) {
    assets.insert((*it)[1]);
  }
  return assets;
}

TEST_F(Observability, PagesAreServedFromTheBinaryWithSecurityHeaders) {
  for (const char* page : {"/", "/dashboard"}) {
    SCOPED_TRACE(page);
    const HttpResponse response = client().get(page);
    ASSERT_EQ(response.status, 200) << response;
    EXPECT_EQ(response.header("Content-Type").value_or(""), "text/html; charset=utf-8");
    const std::string policy = response.header("Content-Security-Policy").value_or("");
    EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
    EXPECT_EQ(response.header("X-Content-Type-Options").value_or(""), "nosniff");
    const std::string etag = response.header("ETag").value_or("");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(client().get(page, {{"If-None-Match", etag}}).status, 304);
    const HttpResponse head = client().head(page);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());

    // Nothing is loaded from anywhere else: no CDN, no fonts, no analytics.
    EXPECT_EQ(response.body.find("http://"), std::string::npos);
    EXPECT_EQ(response.body.find("https://"), std::string::npos);
    const auto assets = linked_assets(response.body);
    EXPECT_FALSE(assets.empty()) << "the page links no script or style";
    for (const std::string& asset : assets) {
      const HttpResponse file = client().get(asset);
      EXPECT_EQ(file.status, 200) << asset << file;
      const std::string type = file.header("Content-Type").value_or("");
      EXPECT_TRUE(type.starts_with("text/javascript") || type.starts_with("text/css") ||
                  type == "image/svg+xml")
          << asset << " " << type;
      EXPECT_EQ(file.body.find("https://"), std::string::npos) << asset;
    }
  }
  EXPECT_TRUE(is_json_error(client().get("/assets/no-such-file.js"), 404, "route_not_found"));
  EXPECT_TRUE(is_json_error(client().get("/assets/../index.html"), 404, "route_not_found"));
}

TEST_F(Observability, EveryRequestIsLoggedOnceWithItsRequestId) {
  const HttpResponse health = client().get("/healthz", {{"X-Request-Id", "probe-7f3a"}});
  EXPECT_EQ(health.header("X-Request-Id").value_or(""), "probe-7f3a");
  const HttpResponse odd = client().get("/healthz", {{"X-Request-Id", "not a token"}});
  EXPECT_TRUE(std::regex_match(odd.header("X-Request-Id").value_or(""), std::regex("[0-9a-f]{16}")))
      << odd;

  MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "12"}});
  const HttpResponse accepted = client().request(
      "POST", kResizePath, {{"Content-Type", form.content_type()}, {"X-Request-Id", "upload-42"}},
      form.body());
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  wait_for_task(client(), id);

  ASSERT_TRUE(server().wait_for_log("request_id=probe-7f3a", std::chrono::seconds(5)));
  EXPECT_EQ(server().count_in_log("request_id=probe-7f3a"), 1u);
  // The upload's request line and the task it created share the request id.
  EXPECT_TRUE(server().wait_for_log("task accepted task_id=" + id + " request_id=upload-42",
                                    std::chrono::seconds(5)))
      << server().log_tail();
  EXPECT_TRUE(server().wait_for_log("task started task_id=" + id, std::chrono::seconds(5)));
  EXPECT_TRUE(server().wait_for_log("task succeeded task_id=" + id, std::chrono::seconds(5)));
}

TEST_F(Observability, WorkersServeTheirOwnMetricsPort) {
  if (server().backend() == testing::Backend::sqlite) {
    GTEST_SKIP() << "serve has one port for everything";
  }
  const auto ports = worker_metrics_ports(server());
  ASSERT_EQ(ports.size(), server().process_count() - 2) << server().log_tail();
  for (std::uint16_t port : ports) {
    HttpClient worker(port);
    const Exposition metrics = scrape(worker);
    EXPECT_GE(metrics.value("image_resize_workers"), 1) << port;
    EXPECT_EQ(worker.get("/healthz").status, 200);
    EXPECT_EQ(worker.get("/readyz").status, 200);
    // The operations endpoints only: no API on a worker.
    EXPECT_TRUE(is_json_error(worker.get("/api/v1/dashboard"), 404, "route_not_found"));
    EXPECT_TRUE(is_json_error(worker.get("/"), 404, "route_not_found"));
  }
}

}  // namespace
}  // namespace image_resize::integration
