// No repeated work (issue #20), with every flag at its default: an upload whose bytes, options and
// owner match a task whose result is still stored is answered with a new task, SUCCESS at once,
// reading the same result, without a resize; deleting either task never breaks the other's
// result, and the blob goes with the last of them. Another width, another owner or a webhook:
// resized as usual. A repeated batch: every task answered so.
#include <fstream>

#include "integration/batch_helpers.h"
#include "support/prometheus_text.h"

namespace image_resize::integration {
namespace {

const std::string kResized = R"(image_resize_tasks_finished_total{status="SUCCESS"})";
const std::string kReused = "image_resize_results_reused_total";

constexpr const char* kAlice = "alice-reuse-5b1e9d3c7a20";
constexpr const char* kBob = "bob-reuse-2f8c4a6e0d91";

class RepeatedUploads : public SharedServerTest {
 public:
  // Workers serve their own /metrics (the Redis deployment), for the count of resizes done.
  static void SetUpTestSuite() { start_with({"--metrics-port", "0"}); }

 protected:
  static double value(std::uint16_t port, const std::string& series) {
    HttpClient from(port);
    const HttpResponse response = from.get("/metrics");
    EXPECT_EQ(response.status, 200) << response;
    return testing::parse_exposition(response.body).value(series);
  }

  // Resizes done: serve's own /metrics, or every worker's --metrics-port.
  static double resizes() {
    if (server().backend() == testing::Backend::sqlite) return value(server().port(), kResized);
    double sum = 0;
    for (std::uint16_t port : worker_metrics_ports(server())) sum += value(port, kResized);
    return sum;
  }

  // Tasks answered from earlier work, over every HTTP process (port() names each in turn).
  static double reused() {
    double sum = 0;
    for (std::size_t i = 0; i < server().http_process_count(); ++i) {
      sum += value(server().port(), kReused);
    }
    return sum;
  }

  std::string result_of(const std::string& id, const testing::HeaderList& headers = {}) {
    const HttpResponse result = client().request("GET", std::string(kResultPath) + id, headers);
    EXPECT_EQ(result.status, 200) << result;
    return result.body;
  }

  nlohmann::json status_of(const std::string& id) {
    return client().get(std::string(kStatusPath) + id).json();
  }
};

TEST_F(RepeatedUploads, ARepeatedUploadIsAnsweredWithoutAResizeAndOutlivesTheFirstTask) {
  const std::string image = jpeg_with_comment("repeated upload");
  const Fields fields = {{"width", "48"}, {"format", "png"}};
  const HttpResponse first_accepted = submit(client(), image, fields);
  ASSERT_EQ(first_accepted.status, 202) << first_accepted;
  const std::string first = task_id_of(first_accepted);
  ASSERT_EQ(wait_for_task(client(), first).value("status", ""), "SUCCESS");
  const std::string first_bytes = result_of(first);
  const double resizes_before = resizes();
  const double reused_before = reused();

  const HttpResponse accepted = submit(client(), image, fields);
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string second = task_id_of(accepted);
  ASSERT_TRUE(is_uuid(second));
  EXPECT_NE(second, first);
  // The same answer as any upload: the same fields, the new task's own paths.
  auto expected = first_accepted.json();
  for (auto& [field, text] : expected.items()) {
    if (text.is_string()) {
      const std::string replaced = text.get<std::string>();
      const auto at = replaced.find(first);
      if (at != std::string::npos) text = std::string(replaced).replace(at, first.size(), second);
    }
  }
  EXPECT_EQ(accepted.json(), expected);
  EXPECT_EQ(accepted.header("Location").value_or(""), std::string(kStatusPath) + second);

  const auto status = status_of(second);
  EXPECT_EQ(status.value("status", ""), "SUCCESS") << "at once: " << status.dump();
  // The first task's result, at the new task's own address.
  auto result = wait_for_task(client(), first)["result"];
  result["url"] = std::string(kResultPath) + second;
  EXPECT_EQ(status["result"], result) << status.dump();
  EXPECT_EQ(result_of(second), first_bytes);
  EXPECT_EQ(resizes(), resizes_before) << "no worker resized it";
  EXPECT_EQ(reused() - reused_before, 1);

  // Its conditional GET works from the ETag kept with it.
  const HttpResponse plain = client().get(std::string(kResultPath) + second);
  const std::string etag = plain.header("ETag").value_or("");
  ASSERT_FALSE(etag.empty()) << plain;
  EXPECT_EQ(
      client().request("GET", std::string(kResultPath) + second, {{"If-None-Match", etag}}).status,
      304);

  EXPECT_EQ(client().del(std::string(kTasksPath) + first).status, 204);
  EXPECT_EQ(result_of(second), first_bytes) << "deleting the first task broke the second";
  EXPECT_EQ(blob_files_named_by(server(), first), 1U) << "the shared result stays";
  EXPECT_EQ(client().del(std::string(kTasksPath) + second).status, 204);
  EXPECT_EQ(blob_files_named_by(server(), first), 0U) << "the last task took the result with it";
  EXPECT_EQ(blob_files_named_by(server(), second), 0U);

  // Nothing is left to reuse: the same upload is resized again.
  const FinishedTask third = run_task(client(), image, fields);
  EXPECT_EQ(third.status.value("status", ""), "SUCCESS");
  EXPECT_EQ(resizes() - resizes_before, 1);
  EXPECT_EQ(result_of(third.id), first_bytes);
}

TEST_F(RepeatedUploads, AnotherWidthIsResized) {
  const std::string image = jpeg_with_comment("another width");
  ASSERT_EQ(run_task(client(), image, {{"width", "40"}}).status.value("status", ""), "SUCCESS");
  const double resizes_before = resizes();
  const double reused_before = reused();

  const FinishedTask wider = run_task(client(), image, {{"width", "41"}});
  EXPECT_EQ(wider.status.value("status", ""), "SUCCESS");
  EXPECT_EQ(resizes() - resizes_before, 1);
  EXPECT_EQ(reused(), reused_before);
}

TEST_F(RepeatedUploads, ARepeatedBatchIsAnsweredWholeFromEarlierWork) {
  const std::vector<NamedFile> files = {{"a.jpg", jpeg_with_comment("batch a")},
                                        {"b.png", fixture("alpha.png")}};
  const Fields fields = {
      {"variants", variants_json({{"small", 32, 24, "webp"}, {"square", 50, 50, "png"}})}};
  const HttpResponse first = submit_batch(client(), files, fields);
  ASSERT_EQ(first.status, 202) << first;
  const auto done = wait_for_batch(client(), first.json().value("batch_id", ""));
  ASSERT_EQ(done["summary"]["SUCCESS"], 4) << done.dump();
  std::map<std::string, std::string> earlier;
  for (const auto& task : done["tasks"]) {
    earlier[task.value("file", "") + "/" + task.value("variant", "")] =
        result_of(task.value("task_id", ""));
  }
  const double resizes_before = resizes();
  const double reused_before = reused();
  const std::size_t inputs_before = input_blob_count(server());

  const HttpResponse again = submit_batch(client(), files, fields);
  ASSERT_EQ(again.status, 202) << again;
  EXPECT_EQ(input_blob_count(server()), inputs_before) << "no input stored: nothing to resize";
  const std::string id = again.json().value("batch_id", "");
  const auto batch = client().get(std::string(kBatchesPath) + id).json();
  EXPECT_TRUE(batch.value("done", false)) << "at once: " << batch.dump();
  EXPECT_EQ(batch["summary"]["SUCCESS"], 4) << batch.dump();
  for (const auto& task : batch["tasks"]) {
    EXPECT_EQ(result_of(task.value("task_id", "")),
              earlier.at(task.value("file", "") + "/" + task.value("variant", "")));
  }
  EXPECT_EQ(unzip_entries(client().get(std::string(kBatchesPath) + id + "/archive").body).size(),
            4U);
  EXPECT_EQ(resizes(), resizes_before);
  EXPECT_EQ(reused() - reused_before, 4);

  // Deleting the first batch leaves the second's results.
  EXPECT_EQ(client().del(std::string(kBatchesPath) + first.json().value("batch_id", "")).status,
            204);
  for (const auto& task : batch["tasks"]) {
    EXPECT_EQ(result_of(task.value("task_id", "")),
              earlier.at(task.value("file", "") + "/" + task.value("variant", "")));
  }
}

class RepeatedUploadsWithKeys : public RepeatedUploads {
 public:
  static void SetUpTestSuite() {
    static testing::TempDir dir("image-resize-reuse-keys-");
    const auto file = dir.path() / "keys";
    std::ofstream(file) << kAlice << " alice\n" << kBob << " bob\n";
    start_with({"--api-keys-file", file.string(), "--metrics-port", "0"});
  }

 protected:
  std::string upload_and_wait(const std::string& image, const std::string& key) {
    const MultipartBody form = resize_form(image, {{"width", "36"}});
    const HttpResponse accepted = client().request(
        "POST", kResizePath, {{"Content-Type", form.content_type()}, bearer(key)[0]}, form.body());
    EXPECT_EQ(accepted.status, 202) << accepted;
    const std::string id = task_id_of(accepted);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const auto status =
          client().request("GET", std::string(kStatusPath) + id + "?wait=5", bearer(key)).json();
      if (status.value("status", "") == "SUCCESS") break;
    }
    return id;
  }
};

TEST_F(RepeatedUploadsWithKeys, AnotherOwnersUploadIsResizedTheSameOwnersIsNot) {
  // The counter shows from the start, at 0.
  HttpClient metrics(server().port());
  EXPECT_TRUE(testing::parse_exposition(metrics.get("/metrics").body).samples.contains(kReused));
  const std::string image = jpeg_with_comment("owners");
  const std::string alice = upload_and_wait(image, kAlice);
  const double resizes_before = resizes();
  const double reused_before = reused();

  const std::string bob = upload_and_wait(image, kBob);
  EXPECT_EQ(resizes() - resizes_before, 1) << "bob's upload is his own work";
  EXPECT_EQ(reused(), reused_before);
  EXPECT_EQ(result_of(bob, bearer(kBob)), result_of(alice, bearer(kAlice)));

  const std::string alice_again = upload_and_wait(image, kAlice);
  EXPECT_EQ(resizes() - resizes_before, 1);
  EXPECT_EQ(reused() - reused_before, 1);
  EXPECT_EQ(result_of(alice_again, bearer(kAlice)), result_of(alice, bearer(kAlice)));
}

}  // namespace
}  // namespace image_resize::integration
