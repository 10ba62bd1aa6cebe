#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "config/options.h"
#include "support/temp_dir.h"

namespace image_resize::config {
namespace {

// Runs load_config over argv and an environment given as strings.
LoadOutcome load(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), "image-resize");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::vector<const char*> envp;
  for (const auto& e : env) envp.push_back(e.c_str());
  envp.push_back(nullptr);
  return load_config(static_cast<int>(argv.size()), argv.data(), envp.data());
}

TEST(LoadConfig, DefaultsOfTheIssue) {
  const auto outcome = load({"serve"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  const AppConfig& c = *outcome.config;
  EXPECT_EQ(c.mode, Mode::serve);
  EXPECT_EQ(c.http.host, "127.0.0.1");
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.worker.resize_slots, 0);
  EXPECT_GE(c.worker.effective_resize_slots(), 1);
  EXPECT_EQ(c.limits.max_upload_bytes, 50ULL << 20);
  EXPECT_EQ(c.limits.max_input_pixels, 100'000'000u);
  EXPECT_EQ(c.limits.max_output_side, 10'000);
  EXPECT_EQ(c.ttl, std::chrono::hours(24 * 30));
  EXPECT_EQ(c.worker.max_attempts, 3);
  EXPECT_EQ(c.limits.max_processing_time, std::chrono::seconds(30));
  EXPECT_EQ(c.limits.max_queue_depth, 10'000u);
  EXPECT_EQ(c.http.rate_limit, 0.0);
  EXPECT_TRUE(c.http.api_keys_file.empty());
  EXPECT_FALSE(c.metrics_port.has_value());
  EXPECT_EQ(c.worker.heartbeat_interval, std::chrono::seconds(2));
  EXPECT_TRUE(c.isolate_imaging);
  EXPECT_EQ(c.limits.max_interlaced_pixels, 25'000'000u);
}

TEST(LoadConfig, HardeningAndObservabilityFlags) {
  const auto outcome = load({"worker",
                             "--redis",
                             "redis://h:1/0",
                             "--task-timeout",
                             "500ms",
                             "--max-queue",
                             "0",
                             "--rate-limit",
                             "2.5",
                             "--rate-burst",
                             "10",
                             "--api-keys-file",
                             "/etc/keys",
                             "--metrics-port",
                             "0",
                             "--heartbeat-interval",
                             "250ms",
                             "--isolate-imaging",
                             "false",
                             "--max-interlaced-pixels",
                             "1000"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  const AppConfig& c = *outcome.config;
  EXPECT_EQ(c.limits.max_processing_time, std::chrono::milliseconds(500));
  EXPECT_EQ(c.limits.max_processing_time, std::chrono::milliseconds(500));
  EXPECT_EQ(c.limits.max_queue_depth, 0u);
  EXPECT_EQ(c.http.rate_limit, 2.5);
  EXPECT_EQ(c.http.rate_burst, 10.0);
  EXPECT_EQ(c.http.api_keys_file, "/etc/keys");
  EXPECT_EQ(c.metrics_port, std::optional<std::uint16_t>(0));
  EXPECT_EQ(c.worker.heartbeat_interval, std::chrono::milliseconds(250));
  EXPECT_FALSE(c.isolate_imaging);
  EXPECT_EQ(c.limits.max_interlaced_pixels, 1000u);
}

TEST(LoadConfig, TheImagingHelperModeNeedsNoRedisAndTakesTheLogFlags) {
  const auto outcome = load({"imaging-helper", "--log-level", "warn", "--log-format", "json"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  EXPECT_EQ(outcome.config->mode, Mode::imaging_helper);
  EXPECT_EQ(outcome.config->log_level, core::log::Level::warn);
  EXPECT_EQ(outcome.config->log_format, core::log::Format::json);
}

TEST(LoadConfig, FlagsSetEveryField) {
  const auto outcome = load({"serve",
                             "--host",
                             "0.0.0.0",
                             "--port=9000",
                             "--data-dir",
                             "/srv/x",
                             "--workers",
                             "4",
                             "--max-upload-bytes",
                             "1M",
                             "--max-input-pixels",
                             "1000",
                             "--max-dimension",
                             "500",
                             "--ttl",
                             "2h",
                             "--lease",
                             "3s",
                             "--log-format",
                             "json"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  const AppConfig& c = *outcome.config;
  EXPECT_EQ(c.http.host, "0.0.0.0");
  EXPECT_EQ(c.http.port, 9000);
  EXPECT_EQ(c.data_dir, "/srv/x");
  EXPECT_EQ(c.worker.resize_slots, 4);
  EXPECT_EQ(c.limits.max_upload_bytes, 1u << 20);
  EXPECT_EQ(c.limits.max_input_pixels, 1000u);
  EXPECT_EQ(c.limits.max_output_side, 500);
  EXPECT_EQ(c.limits.max_output_side, 500);
  EXPECT_EQ(c.ttl, std::chrono::hours(2));
  EXPECT_EQ(c.lease_duration, std::chrono::seconds(3));
  EXPECT_EQ(c.log_format, core::log::Format::json);
}

TEST(LoadConfig, EnvironmentVariablesMatchFlagsAndFlagsWin) {
  const auto outcome =
      load({"serve", "--port", "9001"},
           {"IMAGE_RESIZE_PORT=7000", "IMAGE_RESIZE_DATA_DIR=/env/dir",
            "IMAGE_RESIZE_MAX_DIMENSION=1234", "IMAGE_RESIZE_UNKNOWN_THING=1", "PATH=/usr/bin"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  EXPECT_EQ(outcome.config->http.port, 9001);
  EXPECT_EQ(outcome.config->data_dir, "/env/dir");
  EXPECT_EQ(outcome.config->limits.max_output_side, 1234);
}

TEST(LoadConfig, TlsIsOffByDefaultAndOnWithACertificateAndKey) {
  const auto plain = load({"serve"});
  ASSERT_TRUE(plain.config) << plain.message;
  EXPECT_FALSE(plain.config->http.tls_enabled());

  const auto flags = load({"api", "--redis", "redis://h:1/0", "--tls-cert", "/etc/tls/chain.pem",
                           "--tls-key", "/etc/tls/key.pem"});
  ASSERT_TRUE(flags.config) << flags.message;
  EXPECT_TRUE(flags.config->http.tls_enabled());
  EXPECT_EQ(flags.config->http.tls_cert_file, "/etc/tls/chain.pem");
  EXPECT_EQ(flags.config->http.tls_key_file, "/etc/tls/key.pem");

  const auto env =
      load({"serve", "--tls-key", "/flag/key.pem"},
           {"IMAGE_RESIZE_TLS_CERT=/env/chain.pem", "IMAGE_RESIZE_TLS_KEY=/env/key.pem"});
  ASSERT_TRUE(env.config) << env.message;
  EXPECT_EQ(env.config->http.tls_cert_file, "/env/chain.pem");
  EXPECT_EQ(env.config->http.tls_key_file, "/flag/key.pem");
}

TEST(LoadConfig, ATlsCertificateWithoutKeyOrKeyWithoutCertificateIsAnError) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"serve", "--tls-cert", "/etc/tls/chain.pem"},
           {"serve", "--tls-key", "/etc/tls/key.pem"},
           {"worker", "--redis", "redis://h:1/0", "--metrics-port", "0", "--tls-cert", "/c"}}) {
    const auto outcome = load(args);
    EXPECT_FALSE(outcome.config) << args.back();
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_NE(outcome.message.find("--tls-cert and --tls-key"), std::string::npos)
        << outcome.message;
  }
  const auto env_only = load({"serve"}, {"IMAGE_RESIZE_TLS_CERT=/env/chain.pem"});
  EXPECT_FALSE(env_only.config);
  EXPECT_EQ(env_only.exit_code, 2);
}

TEST(LoadConfig, ScaledOutModesTakeARedisUrl) {
  const auto api = load({"api", "--redis", "redis://127.0.0.1:6390/2"});
  ASSERT_TRUE(api.config) << api.message;
  EXPECT_EQ(api.config->mode, Mode::api);
  EXPECT_EQ(api.config->redis_url, "redis://127.0.0.1:6390/2");
  const auto worker = load({"worker"}, {"IMAGE_RESIZE_REDIS=redis://h:1/0"});
  ASSERT_TRUE(worker.config) << worker.message;
  EXPECT_EQ(worker.config->mode, Mode::worker);
  EXPECT_EQ(worker.config->redis_url, "redis://h:1/0");
}

TEST(LoadConfig, HelpListsEveryFlagAndItsVariable) {
  const auto outcome = load({"--help"});
  EXPECT_FALSE(outcome.config);
  EXPECT_EQ(outcome.exit_code, 0);
  for (const char* flag : {"--host",
                           "--port",
                           "--data-dir",
                           "--workers",
                           "--max-upload-bytes",
                           "--max-input-pixels",
                           "--max-dimension",
                           "--ttl",
                           "--redis",
                           "IMAGE_RESIZE_",
                           "--task-timeout",
                           "--max-queue",
                           "--rate-limit",
                           "--rate-burst",
                           "--api-keys-file",
                           "--metrics-port",
                           "--heartbeat-interval",
                           "--isolate-imaging",
                           "--max-interlaced-pixels",
                           "--tls-cert",
                           "--tls-key",
                           "serve",
                           "api",
                           "worker"}) {
    EXPECT_NE(outcome.message.find(flag), std::string::npos) << flag;
  }
}

TEST(LoadConfig, BadValuesAreErrorsWithExitCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"serve", "--port", "70000"},
           {"serve", "--port", "abc"},
           {"serve", "--workers", "-1"},
           {"serve", "--ttl", "soon"},
           {"serve", "--max-upload-bytes", "lots"},
           {"serve", "--log-level", "chatty"},
           {"serve", "--no-such-flag"},
           {"serve", "--rate-limit", "fast"},
           {"serve", "--rate-limit", "-1"},
           {"serve", "--task-timeout", "never"},
           {"serve", "--heartbeat-interval", "0"},
           {"serve", "--isolate-imaging", "maybe"},
           {"serve", "--outbound-allow", "10.0.0.0/33"},
           {"serve", "--outbound-deny", "example.com"},
           {"serve", "--outbound-timeout", "1ms"},
           {"serve", "--outbound-max-redirects", "11"},
           {"serve", "--webhook-retry-for", "forever"},
           {"worker", "--redis", "redis://h:1/0", "--metrics-port", "x"},
           {"teleport"},
           {"api"},
           {"worker", "--port", "1"},
           {}}) {
    const auto outcome = load(args);
    EXPECT_FALSE(outcome.config);
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_FALSE(outcome.message.empty());
  }
}

TEST(LoadConfig, PresetsAreOffByDefaultAndOnlyPresetsNeedsAPresetsFile) {
  const auto defaults = load({"serve"});
  ASSERT_TRUE(defaults.config) << defaults.message;
  EXPECT_EQ(defaults.config->http.presets_file, "");
  EXPECT_FALSE(defaults.config->http.only_presets);
  const auto both = load({"api", "--redis", "redis://127.0.0.1:6379/0", "--only-presets", "true"},
                         {"IMAGE_RESIZE_PRESETS_FILE=/etc/presets.json"});
  ASSERT_TRUE(both.config) << both.message;
  EXPECT_EQ(both.config->http.presets_file, "/etc/presets.json");
  EXPECT_TRUE(both.config->http.only_presets);
  const auto only = load({"serve", "--only-presets", "true"});
  EXPECT_FALSE(only.config);
  EXPECT_EQ(only.exit_code, 2);
  EXPECT_NE(only.message.find("--presets-file"), std::string::npos) << only.message;
  EXPECT_FALSE(load({"serve", "--only-presets", "sometimes"}).config);
}

}  // namespace
}  // namespace image_resize::config

namespace image_resize::config {
namespace {

TEST(LoadConfigFile, AConfigFileSetsOptionsAndVariablesAndFlagsWinOverIt) {
  testing::TempDir dir;
  const auto path = dir.path() / "image-resize.conf";
  std::ofstream(path) << "# a deployment's settings\n"
                         "workers = 3\nlease = 45s\nmax-queue = 77\nlog-format = json\n";
  const auto outcome =
      load({"serve", "--config", path.string(), "--workers", "5"}, {"IMAGE_RESIZE_MAX_QUEUE=88"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  EXPECT_EQ(outcome.config->worker.resize_slots, 5);                    // the flag
  EXPECT_EQ(outcome.config->limits.max_queue_depth, 88u);               // the variable
  EXPECT_EQ(outcome.config->lease_duration, std::chrono::seconds(45));  // the file
  EXPECT_EQ(outcome.config->log_format, core::log::Format::json);       // the file
  const auto from_variable = load({"serve"}, {"IMAGE_RESIZE_CONFIG=" + path.string()});
  ASSERT_TRUE(from_variable.config) << from_variable.message;
  EXPECT_EQ(from_variable.config->worker.resize_slots, 3);
}

TEST(LoadConfigFile, AnUnknownKeyOrAMissingFileIsAnError) {
  testing::TempDir dir;
  const auto path = dir.path() / "bad.conf";
  std::ofstream(path) << "no-such-option = 1\n";
  const auto unknown = load({"serve", "--config", path.string()}, {});
  EXPECT_FALSE(unknown.config);
  EXPECT_EQ(unknown.exit_code, 2);
  const auto missing = load({"serve", "--config", (dir.path() / "none").string()}, {});
  EXPECT_FALSE(missing.config);
  EXPECT_EQ(missing.exit_code, 2);
}

TEST(LoadConfigHelp, AModesHelpListsOnlyTheOptionsItReads) {
  const auto serve = load({"serve", "--help"}, {});
  EXPECT_EQ(serve.exit_code, 0);
  EXPECT_NE(serve.message.find("--data-dir arg"), std::string::npos);
  EXPECT_EQ(serve.message.find("--redis arg"), std::string::npos) << "serve reads no --redis";
  EXPECT_EQ(serve.message.find("--metrics-port arg"), std::string::npos);
  const auto worker = load({"worker", "--help"}, {});
  EXPECT_NE(worker.message.find("--redis arg"), std::string::npos);
  EXPECT_NE(worker.message.find("--metrics-port arg"), std::string::npos);
  EXPECT_EQ(worker.message.find("--max-upload-bytes arg"), std::string::npos);
  const auto api = load({"api", "--help"}, {});
  EXPECT_EQ(api.message.find("--lease arg"), std::string::npos) << "api leases nothing";
}

TEST(LoadConfigHelp, EveryDefaultShownIsTheDefaultConfigsValue) {
  const auto help = load({"--help"}, {}).message;
  const AppConfig defaults;
  for (const Option& option : all_options()) {
    const std::string value = option.show(defaults);
    // An empty default (no value: off) is shown as no default.
    const std::string shown =
        "--" + std::string(option.name) + " arg" + (value.empty() ? " " : " (=" + value + ")");
    EXPECT_NE(help.find(shown), std::string::npos) << shown;
    // And what is shown parses back to the same value.
    AppConfig parsed;
    option.apply(parsed, option.show(defaults));
    EXPECT_EQ(option.show(parsed), option.show(defaults)) << option.name;
  }
  EXPECT_NE(help.find("--lease arg (=30s)"), std::string::npos);
  EXPECT_NE(help.find("--max-upload-bytes arg (=50MiB)"), std::string::npos);
  EXPECT_NE(help.find("--min-free-space arg (=5%,1GiB)"), std::string::npos);
}

// The commit `git describe` names now, without "-dirty" (an edit since the build does not make
// the binary's commit another one); empty without git.
std::string described_commit() {
  const std::string command =
      "git -C '" IMAGE_RESIZE_SOURCE_DIR "' describe --always --abbrev=12 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buffer[128];
  while (pipe && fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out;
}

TEST(LoadConfigHelp, VersionNamesTheProjectVersionAndTheRevisionBuilt) {
  const auto version = load({"--version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.message.starts_with("image-resize 0.1.0 (")) << version.message;
  // Read at build time, not when CMake configured: a commit since then shows.
  const std::string commit = described_commit();
  if (commit.empty()) GTEST_SKIP() << "no git here";
  EXPECT_TRUE(version.message.starts_with("image-resize 0.1.0 (" + commit + ")") ||
              version.message.starts_with("image-resize 0.1.0 (" + commit + "-dirty)"))
      << version.message << " is not of " << commit;
}

TEST(LoadConfigMemory, MallocArenasAreTwoUnlessTheEnvironmentSetsThem) {
  EXPECT_EQ(load({"serve"}, {}).config->malloc_arenas, 2);
  EXPECT_EQ(load({"serve"}, {"MALLOC_ARENA_MAX=4"}).config->malloc_arenas, 0);
}

TEST(LoadConfig, OutboundAndWebhookOptions) {
  const auto outcome =
      load({"serve", "--outbound-allow", "127.0.0.1, 10.1.0.0/16", "--outbound-deny", "10.1.2.0/24",
            "--outbound-connect-timeout", "2s", "--outbound-idle-timeout", "3s",
            "--outbound-timeout", "40s", "--outbound-max-redirects", "0", "--webhook-secret",
            "/etc/secret", "--webhook-timeout", "5s", "--webhook-retry-for", "2h"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  const AppConfig& config = *outcome.config;
  EXPECT_EQ(config.outbound_allow, "127.0.0.1, 10.1.0.0/16");
  EXPECT_EQ(config.outbound_deny, "10.1.2.0/24");
  EXPECT_EQ(config.outbound.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(config.outbound.idle_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config.outbound.total_timeout, std::chrono::seconds(40));
  EXPECT_EQ(config.outbound.max_redirects, 0);
  EXPECT_TRUE(config.webhook.enabled());
  EXPECT_EQ(config.webhook.secret_file, "/etc/secret");
  EXPECT_EQ(config.webhook.timeout, std::chrono::seconds(5));
  EXPECT_EQ(config.webhook.retry_for, std::chrono::hours(2));

  const auto defaults = load({"serve"});
  ASSERT_TRUE(defaults.config);
  EXPECT_TRUE(defaults.config->outbound_allow.empty());
  EXPECT_FALSE(defaults.config->webhook.enabled());
  EXPECT_EQ(defaults.config->webhook.retry_for, std::chrono::hours(24));
}

TEST(LoadConfig, BlobsAreFilesUnlessABucketIsNamed) {
  const auto files = load({"serve"});
  ASSERT_TRUE(files.config) << files.message;
  EXPECT_EQ(files.config->blob_store, "file:");
  EXPECT_FALSE(files.config->blobs_in_bucket());
  EXPECT_EQ(files.config->s3.region, "us-east-1");
  EXPECT_EQ(files.config->s3.addressing, storage::s3::Addressing::automatic);
  EXPECT_FALSE(files.config->http.result_redirect);
  EXPECT_EQ(files.config->http.result_redirect_expiry, std::chrono::minutes(5));

  const auto bucket =
      load({"worker", "--redis", "redis://h:1/0", "--blob-store", "s3://images/p", "--s3-endpoint",
            "http://127.0.0.1:9000", "--s3-addressing", "path", "--s3-timeout", "5s"});
  ASSERT_TRUE(bucket.config) << bucket.message;
  const AppConfig& c = *bucket.config;
  EXPECT_TRUE(c.blobs_in_bucket());
  EXPECT_FALSE(c.stores_locally());
  EXPECT_EQ(c.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(c.s3.addressing, storage::s3::Addressing::path);
  EXPECT_EQ(c.s3.timeout, std::chrono::seconds(5));
  // serve keeps its task database in the data dir whatever holds the images.
  EXPECT_TRUE(load({"serve", "--blob-store", "s3://images"}).config->stores_locally());
}

TEST(LoadConfig, S3CredentialsComeFromTheAwsVariablesOnly) {
  const auto outcome = load({"serve", "--blob-store", "s3://images"},
                            {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret/key+1",
                             "AWS_SESSION_TOKEN=token", "AWS_ACCESS_KEY_ID_OTHER=x"});
  ASSERT_TRUE(outcome.config) << outcome.message;
  EXPECT_EQ(outcome.config->s3.credentials.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(outcome.config->s3.credentials.secret_access_key, "secret/key+1");
  EXPECT_EQ(outcome.config->s3.credentials.session_token, "token");
  // No flag takes a secret.
  EXPECT_FALSE(load({"serve", "--s3-secret-access-key", "x"}).config);
}

TEST(LoadConfig, TheRegionComesFromTheFlagThenOurVariableThenAwsRegion) {
  EXPECT_EQ(load({"serve"}, {"AWS_REGION=eu-west-3"}).config->s3.region, "eu-west-3");
  EXPECT_EQ(load({"serve"}, {"AWS_REGION=eu-west-3", "IMAGE_RESIZE_S3_REGION=us-west-2"})
                .config->s3.region,
            "us-west-2");
  EXPECT_EQ(load({"serve", "--s3-region", "auto"}, {"AWS_REGION=eu-west-3"}).config->s3.region,
            "auto");
}

TEST(LoadConfig, ResultRedirectNeedsABucketAndAnExpiryS3Accepts) {
  const auto on_files = load({"serve", "--result-redirect", "true"});
  EXPECT_FALSE(on_files.config);
  EXPECT_NE(on_files.message.find("--result-redirect needs"), std::string::npos);
  EXPECT_TRUE(load({"serve", "--blob-store", "s3://b", "--result-redirect", "true"}).config);
  EXPECT_FALSE(load({"serve", "--blob-store", "s3://b", "--result-redirect-expiry", "8d"}).config);
  EXPECT_FALSE(load({"serve", "--s3-addressing", "sideways"}).config);
}

TEST(LoadConfig, CorsForEveryOriginIsRefusedWithApiKeys) {
  EXPECT_TRUE(load({"serve", "--cors-origins", "*"}).config);
  EXPECT_TRUE(
      load({"serve", "--cors-origins", "https://a.example", "--api-keys-file", "/k"}).config);
  const auto star_with_keys = load({"serve", "--cors-origins", "*", "--api-keys-file", "/k"});
  EXPECT_FALSE(star_with_keys.config);
  EXPECT_NE(star_with_keys.message.find("--cors-origins"), std::string::npos);
  EXPECT_FALSE(load({"serve", "--cors-origins", "app.example"}).config);
  EXPECT_FALSE(load({"serve", "--trusted-proxies", "10.0.0.0/99"}).config);
}

}  // namespace
}  // namespace image_resize::config
