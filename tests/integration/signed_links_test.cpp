// --url-signing-key: with API keys on, a finished task's status gives a signed, expiring result
// link that works without a key (an <img src>, a CDN); a tampered, foreign or expired link is
// refused 403 with a JSON error, and a link signed with an older key still in the file works.
#include <array>
#include <chrono>
#include <fstream>

#include "integration/api_helpers.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

constexpr const char* kAlice = "alice-7d1f0c9e2b8a4f63";
constexpr const char* kNewKey = "new-signing-key-5b0e3c8d1a7f4e2c9b6d";
constexpr const char* kOldKey = "old-signing-key-9c2f7a1e4d8b3c6a0f5e";

testing::HeaderList bearer() { return {{"Authorization", std::string("Bearer ") + kAlice}}; }

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SignedLinks : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    static testing::TempDir dir("image-resize-signing-");
    std::ofstream(dir.path() / "keys") << kAlice << " alice\n";
    std::ofstream(dir.path() / "signing") << "# the first key signs\n"
                                          << kNewKey << "\n"
                                          << kOldKey << "\n";
    start_with({"--api-keys-file", (dir.path() / "keys").string(), "--url-signing-key",
                (dir.path() / "signing").string()});
  }

 protected:
  // A finished task of alice's and the result URL its status gives.
  std::pair<std::string, std::string> finished_task() {
    const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "24"}});
    testing::HeaderList headers = bearer();
    headers.emplace_back("Content-Type", form.content_type());
    const HttpResponse accepted = client().request("POST", kResizePath, headers, form.body());
    EXPECT_EQ(accepted.status, 202) << accepted;
    const std::string id = task_id_of(accepted);
    const HttpResponse status = client().get(std::string(kStatusPath) + id + "?wait=20", bearer());
    EXPECT_EQ(status.json().value("status", ""), "SUCCESS") << status;
    return {id, status.json()["result"].value("url", "")};
  }
};

TEST_F(SignedLinks, TheStatusGivesALinkThatWorksWithoutAKeyUntilItExpires) {
  const auto [id, url] = finished_task();
  const std::string path = std::string(kResultPath) + id;
  ASSERT_EQ(url.rfind(path + "?expires=", 0), 0U) << url;
  ASSERT_NE(url.find("&signature="), std::string::npos) << url;
  // Valid for the default hour, rounded up to the minute.
  const std::int64_t expires = std::stoll(url.substr(url.find("expires=") + 8));
  EXPECT_EQ(expires % 60, 0);
  EXPECT_GE(expires, unix_now() + 3600 - 5);
  EXPECT_LE(expires, unix_now() + 3600 + 60);
  EXPECT_EQ(url.substr(url.find("signature=") + 10), sign_link(kNewKey, path, expires));

  const HttpResponse image = client().get(url);  // no Authorization header
  ASSERT_EQ(image.status, 200) << image;
  const auto info = inspect_image(image.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 24);
  EXPECT_EQ(client().head(url).status, 200);
  // The unsigned path still needs the key.
  EXPECT_TRUE(is_json_error(client().get(path), 401, "unauthorized"));
  EXPECT_EQ(client().get(path, bearer()).status, 200);
}

TEST_F(SignedLinks, TamperedForeignOrExpiredLinksAre403) {
  const auto [id, url] = finished_task();
  const auto [other_id, other_url] = finished_task();
  const std::string path = std::string(kResultPath) + id;
  const std::int64_t later = unix_now() + 600;

  std::string flipped = url;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  const std::string with_other_signature =
      path + other_url.substr(other_url.find('?'));  // another task's valid query
  const std::string longer = path + "?expires=" + std::to_string(later + 1) +
                             "&signature=" + sign_link(kNewKey, path, later);
  const std::string foreign_key = path + "?expires=" + std::to_string(later) + "&signature=" +
                                  sign_link("some-other-key-0123456789abcdef", path, later);
  const std::int64_t past = unix_now() - 5;
  const std::string expired =
      path + "?expires=" + std::to_string(past) + "&signature=" + sign_link(kNewKey, path, past);
  for (const std::string& link : {flipped, with_other_signature, longer, foreign_key, expired,
                                  path + "?signature=abc", path + "?expires=&signature="}) {
    const HttpResponse refused = client().get(link);
    EXPECT_TRUE(is_json_error(refused, 403, "forbidden")) << link << "\n" << refused;
  }
  EXPECT_NE(client().get(expired).json().value("message", "").find("expired"), std::string::npos);
}

TEST_F(SignedLinks, ALinkSignedWithAnOlderKeyStillInTheFileWorks) {
  const auto [id, url] = finished_task();
  const std::string path = std::string(kResultPath) + id;
  const std::int64_t expires = unix_now() + 300;
  const HttpResponse image = client().get(path + "?expires=" + std::to_string(expires) +
                                          "&signature=" + sign_link(kOldKey, path, expires));
  EXPECT_EQ(image.status, 200) << image;
}

}  // namespace
}  // namespace image_resize::integration
