// Batches (issue #20) refused, and batches that need flags: each bad upload answers its status
// and code and stores nothing (no input blob, no queued task); a bad ?wait as on the status
// route; unknown batches 404; --presets-file and --only-presets; with --api-keys-file another
// key's batch is not found, and the dashboard lists a key's own batches (an admin's: all).
#include <fstream>
#include <set>

#include "integration/batch_helpers.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

const std::string kVariants = variants_json({{"a", 40, 30, "png"}, {"b", 20, 20, "webp"}});

struct BadUpload {
  const char* name;
  std::vector<NamedFile> files;
  Fields fields;
  int status;
  const char* code;
  const char* message_names;  // a part of the message, or ""
};

std::vector<NamedFile> copies_of_photo(int count) {
  std::vector<NamedFile> files;
  for (int i = 0; i < count; ++i) {
    files.push_back({"p" + std::to_string(i) + ".jpg", fixture("photo.jpg")});
  }
  return files;
}

std::vector<BadUpload> bad_uploads() {
  const NamedFile photo{"photo.jpg", fixture("photo.jpg")};
  return {
      {"33 files", copies_of_photo(33), {{"width", "50"}}, 422, "too_many_files", "33"},
      {"33 files with variants",
       copies_of_photo(33),
       {{"variants", kVariants}},
       422,
       "too_many_files",
       ""},
      {"unknown preset", {photo}, {{"preset", "nosuch"}}, 422, "unknown_preset", "nosuch"},
      {"variants not JSON",
       {photo},
       {{"variants", R"([{"name":"a","width":)"}},
       422,
       "invalid_variants",
       ""},
      {"variants not an array",
       {photo},
       {{"variants", R"({"name":"a","width":10})"}},
       422,
       "invalid_variants",
       ""},
      {"a variant with a bad field",
       copies_of_photo(2),
       {{"variants", R"([{"name":"a","width":10,"quality":0}])"}},
       422,
       "invalid_variants",
       "variants[0]"},
      {"a variant name used twice",
       {photo},
       {{"variants", R"([{"name":"a","width":10},{"name":"a","width":20}])"}},
       422,
       "invalid_variants",
       ""},
      {"17 variants",
       {photo},
       {{"variants",
         variants_json(std::vector<SizedVariant>(17, SizedVariant{"v", 10, 10, "png"}))}},
       422,
       "invalid_variants",
       ""},
      {"a bomb among the files",
       {photo, {"bomb.png", fixture("bomb.png")}, {"other.jpg", fixture("photo.jpg")}},
       {{"variants", kVariants}},
       422,
       "image_too_large",
       "bomb.png"},
      {"a file that is no image",
       {photo, {"random.bin", fixture("random.bin")}},
       {{"width", "10"}},
       422,
       "unsupported_image",
       "random.bin"},
      {"several files and a url",
       copies_of_photo(2),
       {{"url", "http://127.0.0.1:9/photo.jpg"}, {"width", "10"}},
       422,
       "conflicting_source",
       ""},
      {"several files and no size", copies_of_photo(2), {}, 422, "invalid_size", ""},
      {"an empty file among them",
       {photo, {"empty.jpg", ""}},
       {{"width", "10"}},
       422,
       "no_file",
       ""},
  };
}

class BatchErrors : public SharedServerTest {};

TEST_F(BatchErrors, EachBadUploadIsRefusedWithItsCodeAndStoresNothing) {
  for (const BadUpload& bad : bad_uploads()) {
    SCOPED_TRACE(bad.name);
    const std::size_t inputs_before = input_blob_count(server());
    const int queued_before = queued_task_count(client());
    const HttpResponse response = submit_batch(client(), bad.files, bad.fields);
    EXPECT_TRUE(is_json_error(response, bad.status, bad.code));
    EXPECT_NE(response.json().value("message", "").find(bad.message_names), std::string::npos)
        << response;
    EXPECT_EQ(input_blob_count(server()), inputs_before);
    EXPECT_EQ(queued_task_count(client()), queued_before);
  }
}

TEST_F(BatchErrors, ABadWaitIsRefusedAsOnTheStatusRoute) {
  const HttpResponse accepted =
      submit_batch(client(), {{"photo.jpg", fixture("photo.jpg")}}, {{"variants", kVariants}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string batch = accepted.json().value("batch_id", "");
  const std::string task = accepted.json()["tasks"][0].value("task_id", "");
  for (const char* wait : {"abc", "-1", "1.5", ""}) {
    SCOPED_TRACE(wait);
    const HttpResponse on_status = client().get(std::string(kStatusPath) + task + "?wait=" + wait);
    const HttpResponse on_batch = client().get(std::string(kBatchesPath) + batch + "?wait=" + wait);
    EXPECT_EQ(on_batch.status, on_status.status) << on_batch << on_status;
    EXPECT_EQ(on_batch.json().value("code", ""), on_status.json().value("code", ""));
    if (std::string_view(wait) != "") {
      EXPECT_TRUE(is_json_error(on_batch, 400, "invalid_wait"));
    }
  }
  EXPECT_TRUE(wait_for_batch(client(), batch).value("done", false));
}

TEST_F(BatchErrors, AnUnknownBatchIsNotFound) {
  for (const char* id : {"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", "not-a-uuid"}) {
    SCOPED_TRACE(id);
    const std::string path = std::string(kBatchesPath) + id;
    EXPECT_TRUE(is_json_error(client().get(path), 404, "batch_not_found"));
    EXPECT_TRUE(is_json_error(client().get(path + "?wait=2"), 404, "batch_not_found"));
    EXPECT_TRUE(is_json_error(client().get(path + "/archive"), 404, "batch_not_found"));
    EXPECT_TRUE(is_json_error(client().del(path), 404, "batch_not_found"));
  }
  // A task id is no batch id.
  const std::string task = task_id_of(submit(client(), fixture("photo.jpg"), {{"width", "9"}}));
  EXPECT_TRUE(
      is_json_error(client().get(std::string(kBatchesPath) + task), 404, "batch_not_found"));
  wait_for_task(client(), task);
}

// The presets of both preset suites.
std::string presets_file() {
  static testing::TempDir dir("image-resize-presets-");
  const auto file = dir.path() / "presets.json";
  std::ofstream(file) << R"({"thumb": [{"name": "thumb", "width": 150, "height": 150,
                                       "fit": "cover", "format": "webp"}],
                             "card": [{"name": "card", "width": 200, "height": 100},
                                      {"name": "card_2x", "width": 200, "height": 100,
                                       "dpr": 2, "format": "png"}]})";
  return file.string();
}

// Uploads photo.jpg with `fields`, waits for its batch; "variant" → result bytes.
std::map<std::string, std::string> batch_results(HttpClient& client, const Fields& fields) {
  std::map<std::string, std::string> results;
  const HttpResponse accepted = submit_batch(client, {{"photo.jpg", fixture("photo.jpg")}}, fields);
  EXPECT_EQ(accepted.status, 202) << accepted;
  if (accepted.status != 202) return results;
  const auto batch = wait_for_batch(client, accepted.json().value("batch_id", ""));
  for (const auto& task : batch["tasks"]) {
    EXPECT_EQ(task.value("status", ""), "SUCCESS") << task.dump();
    results[task.value("variant", "")] =
        client.get(std::string(kResultPath) + task.value("task_id", "")).body;
  }
  return results;
}

::testing::AssertionResult is_sized(std::string_view bytes, const char* format, int width,
                                    int height) {
  const auto info = inspect_image(bytes);
  if (info && info->format == format && info->width == width && info->height == height) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "not a " << format << " of " << width << "x" << height << ": "
         << (info ? info->format : "undecodable") << " " << (info ? info->width : 0) << "x"
         << (info ? info->height : 0);
}

class BatchPresets : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--presets-file", presets_file()}); }
};

TEST_F(BatchPresets, PresetFieldsGiveThePresetsOutputs) {
  const auto results = batch_results(client(), {{"preset", "thumb"}, {"preset", "card"}});
  ASSERT_EQ(results.size(), 3U);
  EXPECT_TRUE(is_sized(results.at("thumb"), "webp", 150, 150));
  EXPECT_TRUE(is_sized(results.at("card"), "jpeg", 200, 100));
  EXPECT_TRUE(is_sized(results.at("card_2x"), "png", 400, 200));
}

TEST_F(BatchPresets, PresetsAndVariantsMixAndFreeSizesStillWork) {
  const auto results = batch_results(
      client(), {{"preset", "thumb"}, {"variants", R"([{"name":"x","width":33,"height":22}])"}});
  ASSERT_EQ(results.size(), 2U);
  EXPECT_TRUE(is_sized(results.at("thumb"), "webp", 150, 150));
  EXPECT_TRUE(is_sized(results.at("x"), "jpeg", 33, 22));
  EXPECT_FALSE(resize(client(), fixture("photo.jpg"), {{"width", "60"}, {"height", "40"}}).empty());
}

TEST_F(BatchPresets, AnUnknownPresetNamesThoseThatExist) {
  const HttpResponse response =
      submit_batch(client(), {{"photo.jpg", fixture("photo.jpg")}}, {{"preset", "huge"}});
  EXPECT_TRUE(is_json_error(response, 422, "unknown_preset")) << response;
  EXPECT_NE(response.json().value("message", "").find("card, thumb"), std::string::npos)
      << response;
}

class BatchOnlyPresets : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--presets-file", presets_file(), "--only-presets", "true"});
  }
};

TEST_F(BatchOnlyPresets, FreeSizesAreRefusedAndPresetsAccepted) {
  const std::vector<std::pair<const char*, Fields>> refused = {
      {"width", {{"width", "100"}}},
      {"height beside a preset", {{"preset", "thumb"}, {"height", "100"}}},
      {"variants", {{"variants", kVariants}}},
      {"no preset", {{"fit", "cover"}}},
  };
  const std::size_t inputs_before = input_blob_count(server());
  for (const auto& [name, fields] : refused) {
    SCOPED_TRACE(name);
    const HttpResponse single = submit(client(), fixture("photo.jpg"), fields);
    EXPECT_TRUE(is_json_error(single, 422, "presets_only")) << single;
    const HttpResponse several = submit_batch(
        client(), {{"a.jpg", fixture("photo.jpg")}, {"b.jpg", fixture("photo.jpg")}}, fields);
    EXPECT_TRUE(is_json_error(several, 422, "presets_only")) << several;
  }
  EXPECT_EQ(input_blob_count(server()), inputs_before);
  const auto results = batch_results(client(), {{"preset", "thumb"}});
  ASSERT_EQ(results.size(), 1U);
  EXPECT_TRUE(is_sized(results.at("thumb"), "webp", 150, 150));
}

constexpr const char* kAlice = "alice-batch-3c8e1f0a9b2d";
constexpr const char* kBob = "bob-batch-7a4d2c9e1f05";
constexpr const char* kOps = "ops-batch-5e0b8d3f6a21";

class BatchApiKeys : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    static testing::TempDir dir("image-resize-batch-keys-");
    const auto file = dir.path() / "keys";
    std::ofstream(file) << kAlice << " alice\n" << kBob << " bob\n" << kOps << " ops admin\n";
    start_with({"--api-keys-file", file.string()});
  }
};

TEST_F(BatchApiKeys, AnotherKeysBatchIsNotFound) {
  const HttpResponse accepted = submit_batch(client(), {{"photo.jpg", fixture("photo.jpg")}},
                                             {{"variants", kVariants}}, bearer(kAlice));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string path = std::string(kBatchesPath) + accepted.json().value("batch_id", "");
  EXPECT_TRUE(is_json_error(client().get(path), 401, "unauthorized"));
  for (const std::string& target : {path, path + "?wait=1", path + "/archive"}) {
    EXPECT_TRUE(is_json_error(client().get(target, bearer(kBob)), 404, "batch_not_found"))
        << target;
  }
  EXPECT_TRUE(
      is_json_error(client().request("DELETE", path, bearer(kBob)), 404, "batch_not_found"));
  const auto batch =
      wait_for_batch(client(), accepted.json().value("batch_id", ""), 60, bearer(kAlice));
  EXPECT_EQ(batch["summary"]["SUCCESS"], 2) << batch.dump();
  EXPECT_EQ(client().get(path + "/archive", bearer(kAlice)).status, 200);
  EXPECT_EQ(client().request("DELETE", path, bearer(kAlice)).status, 204);
}

// The ids of the batches the dashboard lists for `key`.
std::set<std::string> dashboard_batch_ids(HttpClient& client, const std::string& key) {
  const HttpResponse dashboard = client.get("/api/v1/dashboard", bearer(key));
  EXPECT_EQ(dashboard.status, 200) << dashboard;
  std::set<std::string> ids;
  for (const auto& batch : dashboard.json().value("batches", nlohmann::json::array())) {
    ids.insert(batch.value("batch_id", ""));
  }
  return ids;
}

TEST_F(BatchApiKeys, TheDashboardListsAKeysOwnBatchesAndAnAdminEveryOnes) {
  const HttpResponse accepted = submit_batch(client(), {{"photo.jpg", fixture("photo.jpg")}},
                                             {{"variants", kVariants}}, bearer(kAlice));
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = accepted.json().value("batch_id", "");
  EXPECT_EQ(dashboard_batch_ids(client(), kAlice).count(id), 1U);
  EXPECT_EQ(dashboard_batch_ids(client(), kBob).count(id), 0U);
  EXPECT_EQ(dashboard_batch_ids(client(), kOps).count(id), 1U);
}

}  // namespace
}  // namespace image_resize::integration
