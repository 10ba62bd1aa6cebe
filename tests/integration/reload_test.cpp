// SIGHUP re-reads --api-keys-file, --url-signing-key and --tls-cert/--tls-key without a restart:
// while requests run, a new key (written as its SHA-256, so the file holds no secret) starts to
// work, a file that does not load is refused and the keys in force stay, and a key taken out
// stops working; no request fails meanwhile. A new certificate is served to new connections.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "integration/api_helpers.h"
#include "support/temp_dir.h"
#include "support/tls_certificate.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOldKey = "old-key-3c9e1f7a2b5d8e40";
constexpr const char* kNewKey = "new-key-8d2a6f0c4e1b7a93";
constexpr const char* kFirstSigningKey = "first-signing-key-1e4b7c0a9d3f6e2b5a8c";
constexpr const char* kSecondSigningKey = "second-signing-key-7f2c5e8b1a4d0c3e6f9b";
const std::string kSomeTask = std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d";

testing::TempDir& files() {
  static testing::TempDir dir("image-resize-reload-");
  return dir;
}

void write_keys(const std::string& text) {
  // Replaced whole (rename), as an operator's tooling would, so a reload never reads half.
  const auto temporary = files().path() / "keys.new";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, files().path() / "keys");
}

class Reload : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    write_keys(std::string(kOldKey) + " old\n");
    std::ofstream(files().path() / "signing") << kFirstSigningKey << "\n";
    start_with({"--api-keys-file", (files().path() / "keys").string(), "--url-signing-key",
                (files().path() / "signing").string()});
  }

 protected:
  // Sends SIGHUP to every process and waits until each HTTP one has logged `message` once more.
  void reload_and_wait_for(std::string_view message) {
    const std::size_t before = server().count_in_log(message);
    server().signal_all(SIGHUP);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (server().count_in_log(message) < before + server().http_process_count() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    ASSERT_GE(server().count_in_log(message), before + server().http_process_count())
        << server().log_tail();
  }
  int status_with(const std::string& key) { return client().get(kSomeTask, bearer(key)).status; }
};

TEST_F(Reload, KeysChangeUnderLoadAndNoRequestFails) {
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::thread load([&] {
    HttpClient http(server().port());
    while (!stop) {
      const HttpResponse response = http.get(kSomeTask, bearer(kOldKey));
      if (response.status == 404) {
        ++answered;
      } else {
        ++failed;
      }
    }
  });
  EXPECT_EQ(status_with(kNewKey), 403);

  // The new key, as its hash, beside the old one.
  write_keys("sha256:" + sha256_hex(kNewKey) + " new\n" + kOldKey + " old\n");
  reload_and_wait_for("keys reloaded");
  EXPECT_EQ(status_with(kNewKey), 404);
  EXPECT_EQ(status_with(kOldKey), 404);

  // A file that does not load changes nothing.
  write_keys("too-short\n");
  reload_and_wait_for("reload refused");
  EXPECT_EQ(status_with(kNewKey), 404);
  EXPECT_EQ(status_with(kOldKey), 404);

  stop = true;
  load.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(failed.load(), 0) << "requests failed while the keys were reloaded";

  // The old key taken out.
  write_keys("sha256:" + sha256_hex(kNewKey) + " new\n");
  reload_and_wait_for("keys reloaded");
  EXPECT_EQ(status_with(kOldKey), 403);
  EXPECT_EQ(status_with(kNewKey), 404);
  EXPECT_EQ(server().count_in_log(kNewKey), 0U) << "a key reached the log";
  EXPECT_TRUE(server().running());
}

TEST_F(Reload, ANewSigningKeySignsTheNextLinksAndOldLinksStillWork) {
  write_keys(std::string(kOldKey) + " old\n");  // whatever the test before left
  reload_and_wait_for("keys reloaded");
  const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "16"}});
  testing::HeaderList headers = bearer(kOldKey);
  headers.emplace_back("Content-Type", form.content_type());
  const std::string id = task_id_of(client().request("POST", kResizePath, headers, form.body()));
  const std::string status = std::string(kStatusPath) + id + "?wait=20";
  const std::string before =
      client().get(status, bearer(kOldKey)).json()["result"].value("url", "");
  ASSERT_FALSE(before.empty());

  std::ofstream(files().path() / "signing") << kSecondSigningKey << "\n"
                                            << kFirstSigningKey << "\n";
  reload_and_wait_for("keys reloaded");
  const std::string after = client().get(status, bearer(kOldKey)).json()["result"].value("url", "");
  const std::string path = std::string(kResultPath) + id;
  const std::int64_t expires = std::stoll(after.substr(after.find("expires=") + 8));
  EXPECT_EQ(after.substr(after.find("signature=") + 10),
            sign_link(kSecondSigningKey, path, expires));
  EXPECT_EQ(client().get(after).status, 200);
  EXPECT_EQ(client().get(before).status, 200) << "a link of the previous key, still in the file";
}

class TlsReload : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    first_ = testing::make_self_signed_certificate(files().path(), "first");
    second_ = testing::make_self_signed_certificate(files().path(), "second");
    std::filesystem::copy_file(first_.cert, files().path() / "live.crt");
    std::filesystem::copy_file(first_.key, files().path() / "live.key");
    start_with({"--tls-cert", (files().path() / "live.crt").string(), "--tls-key",
                (files().path() / "live.key").string()},
               TlsClientOptions{.ca_file = first_.cert});
  }

  // The server now speaks with the second certificate.
  void TearDown() override {
    tls_ = TlsClientOptions{.ca_file = second_.cert};
    SharedServerTest::TearDown();
  }

 protected:
  static int status_trusting(const testing::TlsCertificate& ca, std::uint16_t port) {
    HttpClient http(port, TlsClientOptions{.ca_file = ca.cert}, 10s);
    return http.get("/healthz").status;
  }
  static testing::TlsCertificate first_;
  static testing::TlsCertificate second_;
};
testing::TlsCertificate TlsReload::first_;
testing::TlsCertificate TlsReload::second_;

TEST_F(TlsReload, ANewCertificateIsServedToNewConnections) {
  const std::uint16_t port = client_port();
  EXPECT_EQ(status_trusting(first_, port), 200);
  EXPECT_EQ(status_trusting(second_, port), 0) << "the second certificate is not in use yet";
  const auto copy = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(second_.cert, files().path() / "live.crt", copy);
  std::filesystem::copy_file(second_.key, files().path() / "live.key", copy);
  server().signal_all(SIGHUP);
  ASSERT_TRUE(server().wait_for_log("TLS certificate reloaded", 10s)) << server().log_tail();
  EXPECT_EQ(status_trusting(second_, port), 200);
  EXPECT_EQ(status_trusting(first_, port), 0);
}

}  // namespace
}  // namespace image_resize::integration
