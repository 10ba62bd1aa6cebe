// The operational endpoints of docs/API.md: /healthz, /readyz, /metrics, /api/v1/openapi.json; and
// the flags and lock that keep two servers off one data dir.

#include <fstream>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class Operations : public SharedServerTest {};

TEST_F(Operations, HealthzAnswers200) {
  const HttpResponse response = client().get("/healthz");
  EXPECT_EQ(response.status, 200) << response;
  EXPECT_EQ(client().head("/healthz").status, 200);
}

TEST_F(Operations, ReadyzAnswers200WithJson) {
  const HttpResponse response = client().get("/readyz");
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_EQ(response.header("Content-Type").value_or("").rfind("application/json", 0), 0U)
      << response;
  EXPECT_TRUE(response.json().is_object()) << response;
}

TEST_F(Operations, MetricsAreInPrometheusTextFormat) {
  // One finished task, so the task counters exist.
  run_task(client(), fixture("photo.jpg"), {{"width", "20"}});
  const HttpResponse response = client().get("/metrics");
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_EQ(response.header("Content-Type").value_or("").rfind("text/plain", 0), 0U) << response;
  EXPECT_NE(response.body.find("# TYPE "), std::string::npos) << response;
  EXPECT_NE(response.body.find("# HELP "), std::string::npos) << response;
}

TEST_F(Operations, OpenApiDocumentListsTheEndpoints) {
  const HttpResponse response = client().get("/api/v1/openapi.json");
  ASSERT_EQ(response.status, 200) << response;
  const auto json = response.json();
  ASSERT_TRUE(json.is_object()) << response;
  ASSERT_TRUE(json.contains("paths")) << response;
  const std::string paths = json["paths"].dump();
  for (const char* path :
       {"/api/v1/images/resize", "/api/v1/status/", "/api/v1/images/result/", "/api/v1/tasks/"}) {
    EXPECT_NE(paths.find(path), std::string::npos) << path;
  }
}

TEST_F(Operations, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client().get("/healthz").status, 200) << i;
}

TEST(ServerStartup, ASecondServerOnTheSameDataDirRefusesToStart) {
  if (testing::backend_under_test() != testing::Backend::sqlite) {
    GTEST_SKIP() << "the data-dir lock is serve's: api and worker processes share the dir";
  }
  auto first = start_server();
  ASSERT_TRUE(first->started());
  testing::ServerOptions options;
  options.data_dir = first->data_dir();
  const FailedStart second = start_expecting_failure(options);
  EXPECT_FALSE(second.started);
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.log.find("lock"), std::string::npos) << second.log;
  EXPECT_EQ(second.reported_failures, 1);
  EXPECT_TRUE(server_is_alive(first->port()));
  EXPECT_EQ(first->terminate(), 0) << first->log_tail();
}

TEST(ServerStartup, BadFlagsExitWithAUsageError) {
  testing::ServerOptions options;
  options.args = {"--workers", "many"};
  const FailedStart server = start_expecting_failure(options);
  EXPECT_FALSE(server.started);
  EXPECT_EQ(server.exit_code, 2);
  EXPECT_NE(server.log.find("--workers"), std::string::npos) << server.log;
}

TEST(ServerStartup, AnUnreadableOrEmptyKeyFileStopsTheStart) {
  testing::TempDir dir("image-resize-keys-");
  std::ofstream(dir.path() / "empty") << "# no keys yet\n";
  for (const auto& file : {dir.path() / "missing", dir.path() / "empty"}) {
    testing::ServerOptions options;
    options.args = {"--api-keys-file", file.string()};
    const FailedStart server = start_expecting_failure(options);
    EXPECT_FALSE(server.started) << file;
    EXPECT_EQ(server.exit_code, 1) << file;
    EXPECT_NE(server.log.find("api-keys-file"), std::string::npos) << server.log;
  }
}

TEST(ServerStartup, AMissingOrShortWebhookSecretStopsTheStart) {
  testing::TempDir dir("image-resize-webhook-");
  std::ofstream(dir.path() / "short") << "too-short\n";
  for (const auto& file : {dir.path() / "missing", dir.path() / "short"}) {
    testing::ServerOptions options;
    options.args = {"--webhook-secret", file.string()};
    const FailedStart server = start_expecting_failure(options);
    EXPECT_FALSE(server.started) << file;
    EXPECT_EQ(server.exit_code, 1) << file;
    EXPECT_NE(server.log.find("webhook-secret"), std::string::npos) << server.log;
  }
}

TEST(ServerStartup, ABadPresetsFileStopsTheStartNamingThePresetAndTheVariant) {
  testing::TempDir dir("image-resize-presets-");
  std::ofstream(dir.path() / "bad-quality.json") << R"({"thumb": [{"name": "thumb", "width": 150},
                       {"name": "big", "width": 900, "quality": 500}]})";
  std::ofstream(dir.path() / "not-json.json") << "thumb: 150x150\n";
  const std::vector<std::pair<std::filesystem::path, std::string>> cases{
      {dir.path() / "bad-quality.json",
       "preset 'thumb', variant 1 ('big'): quality must be an integer from 1 to 100"},
      {dir.path() / "not-json.json", "must be a JSON object of presets"},
      {dir.path() / "missing.json", "cannot read --presets-file"}};
  for (const auto& [file, problem] : cases) {
    testing::ServerOptions options;
    options.args = {"--presets-file", file.string()};
    const FailedStart server = start_expecting_failure(options);
    EXPECT_FALSE(server.started) << file;
    EXPECT_EQ(server.exit_code, 1) << file;
    EXPECT_NE(server.log.find("--presets-file"), std::string::npos) << server.log;
    EXPECT_NE(server.log.find(problem), std::string::npos) << server.log;
  }
}

TEST(ServerStartup, OnlyPresetsWithoutAPresetsFileIsAUsageError) {
  testing::ServerOptions options;
  options.args = {"--only-presets", "true"};
  const FailedStart server = start_expecting_failure(options);
  EXPECT_FALSE(server.started);
  EXPECT_EQ(server.exit_code, 2);
  EXPECT_NE(server.log.find("--only-presets needs --presets-file"), std::string::npos)
      << server.log;
}

TEST(ServerStartup, AGoodPresetsFileIsLoadedAndUploadsAnswerAsBefore) {
  testing::TempDir dir("image-resize-presets-");
  std::ofstream(dir.path() / "presets.json")
      << R"({"thumb": [{"name": "thumb", "width": 150, "height": 150, "fit": "cover"}]})";
  auto server = start_server({"--presets-file", (dir.path() / "presets.json").string()});
  ASSERT_TRUE(server->started());
  EXPECT_NE(server->log().find("presets on"), std::string::npos) << server->log_tail();
  HttpClient client(server->port());
  EXPECT_FALSE(resize(client, fixture("photo.jpg"), {{"width", "20"}}).empty());
  // Listed for clients to offer.
  const HttpResponse listed = client.get("/api/v1/presets");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto presets = listed.json();
  EXPECT_EQ(presets["only_presets"], false);
  ASSERT_EQ(presets["presets"].size(), 1u);
  EXPECT_EQ(presets["presets"][0]["name"], "thumb");
  EXPECT_EQ(presets["presets"][0]["variants"][0]["width"], 150);
  EXPECT_EQ(presets["presets"][0]["variants"][0]["fit"], "cover");
  EXPECT_EQ(server->terminate(), 0) << server->log_tail();
}

}  // namespace
}  // namespace image_resize::integration
