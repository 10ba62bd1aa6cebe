// Batches (issue #20) with every flag at its default: one file in several variants, twenty files
// in three variants with their ZIP archive, each file's input stored once and removed when its
// last task ends, batch tasks at low priority unless the form says, DELETE of a whole batch, the
// dashboard's latest batches, and the single upload answered as before. The bad uploads are in
// batch_errors_test.cpp.
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "integration/batch_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

struct Expected {
  int width;
  int height;
  std::string format;
};

std::map<std::string, Expected> by_name(const std::vector<SizedVariant>& variants) {
  std::map<std::string, Expected> expected;
  for (const SizedVariant& v : variants) expected[v.name] = {v.width, v.height, v.format};
  return expected;
}

::testing::AssertionResult is_image(std::string_view bytes, const Expected& expected) {
  const auto info = inspect_image(bytes);
  if (!info) return ::testing::AssertionFailure() << "not an image (" << bytes.size() << " bytes)";
  if (info->format != expected.format || info->width != expected.width ||
      info->height != expected.height) {
    return ::testing::AssertionFailure() << "a " << info->format << " of " << info->width << "x"
                                         << info->height << ", expected a " << expected.format
                                         << " of " << expected.width << "x" << expected.height;
  }
  return ::testing::AssertionSuccess();
}

// Waits (up to 10 s) for the inputs to be back to `count`: those of ended tasks are removed.
std::size_t inputs_settled_at(const Deployment& deployment, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (input_blob_count(deployment) != count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  return input_blob_count(deployment);
}

class Batches : public SharedServerTest {
 protected:
  // Uploads, expects a well-formed 202 of `tasks` tasks; the accepted JSON.
  nlohmann::json accept(const std::vector<NamedFile>& files, const Fields& fields,
                        std::size_t tasks) {
    const HttpResponse accepted = submit_batch(client(), files, fields);
    EXPECT_EQ(accepted.status, 202) << accepted;
    const auto json = accepted.json();
    if (accepted.status != 202 || !json.is_object()) return nlohmann::json::object();
    const std::string id = json.value("batch_id", "");
    EXPECT_TRUE(is_uuid(id)) << json.dump();
    EXPECT_EQ(json.value("status", ""), "accepted");
    EXPECT_EQ(json.value("batch_url", ""), std::string(kBatchesPath) + id);
    EXPECT_EQ(json.value("archive_url", ""), std::string(kBatchesPath) + id + "/archive");
    EXPECT_EQ(accepted.header("Location").value_or(""), json.value("batch_url", ""));
    EXPECT_FALSE(json.contains("task_id")) << json.dump();
    EXPECT_EQ(json["tasks"].size(), tasks) << json.dump();
    for (const auto& task : json["tasks"]) {
      const std::string task_id = task.value("task_id", "");
      EXPECT_EQ(task.value("status_url", ""), std::string(kStatusPath) + task_id);
      EXPECT_EQ(task.value("result_url", ""), std::string(kResultPath) + task_id);
    }
    return json;
  }

  // Every task of the finished batch SUCCESS, and its result the size and format its variant
  // asks for; the results by "<file>/<variant>".
  std::map<std::string, std::string> expect_results(const nlohmann::json& batch,
                                                    const std::map<std::string, Expected>& sizes) {
    std::map<std::string, std::string> results;
    for (const auto& task : batch["tasks"]) {
      const std::string variant = task.value("variant", "");
      SCOPED_TRACE(task.dump());
      EXPECT_EQ(task.value("status", ""), "SUCCESS");
      EXPECT_EQ(task.value("batch_id", ""), batch.value("batch_id", ""));
      const HttpResponse result =
          client().get(std::string(kResultPath) + task.value("task_id", ""));
      EXPECT_EQ(result.status, 200) << result;
      EXPECT_TRUE(is_image(result.body, sizes.at(variant)));
      results[task.value("file", "") + "/" + variant] = result.body;
    }
    return results;
  }
};

const std::vector<SizedVariant> kThreeVariants = {
    {"small", 64, 48, "webp"}, {"square", 100, 100, "png"}, {"tall", 30, 200, "jpeg"}};

TEST_F(Batches, OneFileInThreeVariantsGivesThreeRightlySizedResults) {
  const std::size_t inputs_before = input_blob_count(server());
  const auto accepted = accept({{"photo.jpg", fixture("photo.jpg")}},
                               {{"variants", variants_json(kThreeVariants)}}, 3);
  ASSERT_EQ(accepted["tasks"].size(), 3U);
  std::set<std::string> variants;
  for (const auto& task : accepted["tasks"]) {
    EXPECT_EQ(task.value("file", ""), "photo.jpg");
    variants.insert(task.value("variant", ""));
  }
  EXPECT_EQ(variants, (std::set<std::string>{"small", "square", "tall"}));
  EXPECT_LE(input_blob_count(server()), inputs_before + 1) << "the input is stored once";

  const auto batch = wait_for_batch(client(), accepted.value("batch_id", ""));
  ASSERT_TRUE(batch.value("done", false)) << batch.dump();
  EXPECT_EQ(batch["summary"]["SUCCESS"], 3) << batch.dump();
  EXPECT_EQ(expect_results(batch, by_name(kThreeVariants)).size(), 3U);
  // A batch task's own status names its batch and variant.
  const std::string task_id = accepted["tasks"][0].value("task_id", "");
  const auto status = client().get(std::string(kStatusPath) + task_id).json();
  EXPECT_EQ(status.value("batch_id", ""), accepted.value("batch_id", "")) << status.dump();
  EXPECT_EQ(status.value("variant", ""), accepted["tasks"][0].value("variant", ""));
  EXPECT_EQ(inputs_settled_at(server(), inputs_before), inputs_before);
}

TEST_F(Batches, TwentyFilesInThreeVariantsMakeSixtyResultsAndAnArchiveOfThem) {
  const std::vector<std::string> mix = {
      "photo.jpg", "progressive.jpg", "alpha.png", "reference.png",     "photo.webp",
      "photo.tif", "photo.gif",       "cmyk.jpg",  "orientation_6.jpg", "rgb16.png"};
  std::vector<NamedFile> files;
  for (int i = 0; i < 20; ++i) {
    const std::string& name = mix[i % mix.size()];
    files.push_back({"img" + std::to_string(i) + "-" + name, fixture(name)});
  }
  const std::size_t inputs_before = input_blob_count(server());
  const auto start = std::chrono::steady_clock::now();
  const auto accepted = accept(files, {{"variants", variants_json(kThreeVariants)}}, 60);
  const std::size_t inputs_stored = input_blob_count(server()) - inputs_before;
  EXPECT_LE(inputs_stored, 20U) << "each file's input is stored once, not once per variant";

  const auto batch = wait_for_batch(client(), accepted.value("batch_id", ""));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[batches] 20 files x 3 variants done in " << seconds << " s; inputs stored "
            << inputs_stored << " right after the 202\n";
  ASSERT_TRUE(batch.value("done", false)) << batch.dump();
  EXPECT_EQ(batch["summary"]["SUCCESS"], 60) << batch["summary"].dump();
  EXPECT_EQ(batch["summary"]["FAILURE"], 0);
  EXPECT_TRUE(parse_iso8601(batch.value("created_at", "")).has_value());
  EXPECT_TRUE(parse_iso8601(batch.value("expires_at", "")).has_value());
  ASSERT_EQ(batch["tasks"].size(), 60U);
  const auto sizes = by_name(kThreeVariants);
  const auto results = expect_results(batch, sizes);
  EXPECT_EQ(results.size(), 60U);
  // The inputs went with the last task of each file.
  EXPECT_EQ(inputs_settled_at(server(), inputs_before), inputs_before);

  const std::string id = accepted.value("batch_id", "");
  const HttpResponse archive = client().get(accepted.value("archive_url", ""));
  ASSERT_EQ(archive.status, 200) << archive;
  EXPECT_EQ(archive.header("Content-Type").value_or(""), "application/zip");
  EXPECT_EQ(archive.header("Content-Disposition").value_or(""),
            "attachment; filename=\"batch-" + id + ".zip\"");
  EXPECT_EQ(archive.header("X-Batch-Complete").value_or(""), "true");
  const auto entries = unzip_entries(archive.body);
  EXPECT_EQ(entries.size(), 60U);
  for (const NamedFile& file : files) {
    const std::string stem = file.name.substr(0, file.name.rfind('.'));
    for (const auto& [variant, expected] : sizes) {
      const std::string entry = stem + "-" + variant + "." + expected.format;
      SCOPED_TRACE(entry);
      const auto found = entries.find(entry);
      ASSERT_NE(found, entries.end());
      EXPECT_TRUE(is_image(found->second, expected));
      EXPECT_EQ(found->second, results.at(file.name + "/" + variant)) << "not the result's bytes";
    }
  }
}

TEST_F(Batches, BatchTasksAreLowPriorityUnlessTheFormSaysOtherwise) {
  for (const char* priority : {"", "high", "normal"}) {
    SCOPED_TRACE(priority);
    Fields fields = {{"variants", variants_json({kThreeVariants[0], kThreeVariants[1]})}};
    if (*priority != '\0') fields.emplace_back("priority", priority);
    const auto accepted = accept({{"a.jpg", fixture("photo.jpg")}}, fields, 2);
    const auto batch = wait_for_batch(client(), accepted.value("batch_id", ""));
    ASSERT_EQ(batch["tasks"].size(), 2U) << batch.dump();
    for (const auto& task : batch["tasks"]) {
      const auto status = client().get(std::string(kStatusPath) + task.value("task_id", "")).json();
      EXPECT_EQ(status["request"].value("priority", ""), *priority == '\0' ? "low" : priority)
          << status.dump();
    }
  }
  // Several files and no variants: a batch too, and low.
  const auto accepted = accept({{"a.jpg", fixture("photo.jpg")}, {"b.png", fixture("alpha.png")}},
                               {{"width", "40"}, {"height", "20"}}, 2);
  const auto batch = wait_for_batch(client(), accepted.value("batch_id", ""));
  for (const auto& task : batch["tasks"]) {
    EXPECT_EQ(task["request"].value("priority", ""), "low") << task.dump();
    EXPECT_EQ(task.value("variant", "?"), "") << task.dump();
  }
  // Its archive names entries without a variant.
  const auto entries = unzip_entries(client().get(accepted.value("archive_url", "")).body);
  EXPECT_EQ(entries.count("a.jpeg"), 1U);
  EXPECT_EQ(entries.count("b.png"), 1U);
}

TEST_F(Batches, DeletingABatchRemovesItsTasksResultsAndInputs) {
  const std::size_t inputs_before = input_blob_count(server());
  // Sizes no other test asks of these files: results of their own, not reused (see
  // repeated_uploads_test.cpp), so that each is named by its task.
  const auto accepted = accept(
      {{"a.jpg", fixture("photo.jpg")}, {"b.webp", fixture("photo.webp")}},
      {{"variants", variants_json({{"small", 66, 44, "webp"}, {"tall", 31, 201, "jpeg"}})}}, 4);
  const std::string id = accepted.value("batch_id", "");
  const auto batch = wait_for_batch(client(), id);
  ASSERT_EQ(batch["summary"]["SUCCESS"], 4) << batch.dump();
  std::vector<std::string> task_ids;
  for (const auto& task : accepted["tasks"]) {
    task_ids.push_back(task.value("task_id", ""));
    EXPECT_EQ(blob_files_named_by(server(), task_ids.back()), 1U) << "its result";
  }

  const HttpResponse deleted = client().del(std::string(kBatchesPath) + id);
  EXPECT_EQ(deleted.status, 204) << deleted;
  EXPECT_TRUE(deleted.body.empty());
  for (const char* suffix : {"", "?wait=1", "/archive"}) {
    EXPECT_TRUE(is_json_error(client().get(std::string(kBatchesPath) + id + suffix), 404,
                              "batch_not_found"))
        << suffix;
  }
  for (const std::string& task_id : task_ids) {
    EXPECT_TRUE(
        is_json_error(client().get(std::string(kStatusPath) + task_id), 404, "task_not_found"));
    EXPECT_TRUE(
        is_json_error(client().get(std::string(kResultPath) + task_id), 404, "task_not_found"));
    EXPECT_EQ(blob_files_named_by(server(), task_id), 0U) << "its result is still there";
  }
  EXPECT_EQ(input_blob_count(server()), inputs_before);
  EXPECT_TRUE(is_json_error(client().del(std::string(kBatchesPath) + id), 404, "batch_not_found"))
      << "a second DELETE";
}

TEST_F(Batches, DeletingABatchBeforeItsTasksRunLeavesNothingBehind) {
  const std::size_t inputs_before = input_blob_count(server());
  std::vector<NamedFile> files;
  for (int i = 0; i < 8; ++i)
    files.push_back({"f" + std::to_string(i) + ".jpg", jpeg_with_comment("not run yet")});
  const auto accepted = accept(files, {{"variants", variants_json(kThreeVariants)}}, 24);
  const std::string id = accepted.value("batch_id", "");
  EXPECT_EQ(client().del(std::string(kBatchesPath) + id).status, 204);
  // Tasks already claimed end on their own (a result written after the DELETE is removed by its
  // worker); nothing of the batch stays.
  EXPECT_EQ(inputs_settled_at(server(), inputs_before), inputs_before);
  std::this_thread::sleep_for(1s);
  for (const auto& task : accepted["tasks"]) {
    const std::string task_id = task.value("task_id", "");
    EXPECT_EQ(client().get(std::string(kStatusPath) + task_id).status, 404);
    EXPECT_EQ(blob_files_named_by(server(), task_id), 0U) << task_id;
  }
}

// The dashboard's entry for batch `id`, or null when it lists none.
nlohmann::json dashboard_batch(HttpClient& client, const std::string& id) {
  const HttpResponse dashboard = client.get("/api/v1/dashboard");
  EXPECT_EQ(dashboard.status, 200) << dashboard;
  for (const auto& batch : dashboard.json().value("batches", nlohmann::json::array())) {
    if (batch.value("batch_id", "") == id) return batch;
  }
  return nullptr;
}

TEST_F(Batches, TheDashboardShowsTheLatestBatchWithItsTasksCountedByState) {
  // The truncated file is accepted (its header is whole) and each of its tasks fails to decode.
  const auto accepted =
      accept({{"a.jpg", fixture("photo.jpg")}, {"b.jpg", fixture("truncated.jpg")}},
             {{"variants", variants_json({kThreeVariants[0], kThreeVariants[1]})}}, 4);
  const std::string id = accepted.value("batch_id", "");
  const HttpResponse dashboard = client().get("/api/v1/dashboard");
  ASSERT_EQ(dashboard.status, 200) << dashboard;
  const auto listed = dashboard.json().value("batches", nlohmann::json::array());
  ASSERT_FALSE(listed.empty()) << dashboard;
  EXPECT_EQ(listed[0].value("batch_id", ""), id) << "the newest first: " << listed.dump();
  int counted = 0;
  for (const auto& [state, count] : listed[0]["summary"].items()) counted += count.get<int>();
  EXPECT_EQ(counted, 4) << listed[0].dump();

  const auto finished = wait_for_batch(client(), id);
  ASSERT_TRUE(finished.value("done", false)) << finished.dump();
  const auto batch = dashboard_batch(client(), id);
  ASSERT_TRUE(batch.is_object());
  EXPECT_EQ(batch.value("batch_url", ""), std::string(kBatchesPath) + id);
  EXPECT_EQ(batch.value("created_at", ""), finished.value("created_at", ""));
  EXPECT_EQ(batch.value("files", 0), 2);
  EXPECT_EQ(batch.value("tasks", 0), 4);
  EXPECT_EQ(batch.value("counted", 0), 4);
  EXPECT_EQ(batch["summary"],
            (nlohmann::json{
                {"PENDING", 0}, {"STARTED", 0}, {"SUCCESS", 2}, {"FAILURE", 2}, {"deleted", 0}}))
      << batch.dump();
  EXPECT_TRUE(batch.value("done", false)) << batch.dump();

  // A deleted batch is no longer listed.
  EXPECT_EQ(client().del(std::string(kBatchesPath) + id).status, 204);
  EXPECT_TRUE(dashboard_batch(client(), id).is_null());
}

TEST_F(Batches, ASingleUploadIsAnsweredAsBefore) {
  const HttpResponse accepted = submit(client(), fixture("photo.jpg"), {{"width", "70"}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const auto json = accepted.json();
  const std::string id = task_id_of(accepted);
  EXPECT_TRUE(is_uuid(id)) << json.dump();
  EXPECT_EQ(accepted.header("Location").value_or(""), std::string(kStatusPath) + id);
  for (const char* key : {"batch_id", "batch_url", "archive_url", "tasks"}) {
    EXPECT_FALSE(json.contains(key)) << key << " in " << json.dump();
  }
  const auto status = wait_for_task(client(), id);
  EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(status["request"].value("priority", ""), "normal") << status.dump();
  EXPECT_FALSE(status.contains("batch_id")) << status.dump();
  EXPECT_FALSE(status.contains("variant")) << status.dump();
  const auto info = inspect_image(client().get(std::string(kResultPath) + id).body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 70);
}

}  // namespace
}  // namespace image_resize::integration
