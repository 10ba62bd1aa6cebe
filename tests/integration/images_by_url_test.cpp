// Images by URL (docs/API.md "Images by URL"): `url` instead of `file`, fetched by the worker from
// an origin server of the test's own on loopback (opened with --outbound-allow 127.0.0.1, every
// other flag at its default). Each failure ends the task with its code and the service stays up;
// the guard refuses loopback and metadata addresses without the flag, and the origin sees nothing.
#include <chrono>
#include <string>

#include "integration/api_helpers.h"
#include "support/origin_server.h"
#include "support/prometheus_text.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using testing::OriginReply;
using testing::OriginServer;

class ImagesByUrl : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--outbound-allow", "127.0.0.1"}); }

 protected:
  // Submits `url`, expects 202, and waits for the task to end; its status.
  nlohmann::json run_url_task(const std::string& url, const Fields& fields = {{"width", "64"}},
                              int max_seconds = 60) {
    const HttpResponse accepted = submit_url(client(), url, fields);
    EXPECT_EQ(accepted.status, 202) << accepted;
    const std::string id = task_id_of(accepted);
    if (id.empty()) return {};
    return wait_for_task(client(), id, max_seconds);
  }

  static void expect_failure(const nlohmann::json& status, std::string_view code) {
    EXPECT_EQ(status.value("status", ""), "FAILURE") << status.dump();
    EXPECT_EQ(status["error"].value("code", ""), code) << status.dump();
    EXPECT_FALSE(status["error"].value("message", "").empty()) << status.dump();
  }

  OriginServer origin_;
};

TEST_F(ImagesByUrl, FetchesResizesAndReportsTheUrl) {
  origin_.reply("/photo.jpg", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  const HttpResponse accepted =
      submit_url(client(), origin_.url("/photo.jpg"), {{"width", "64"}, {"height", "48"}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  const nlohmann::json status = wait_for_task(client(), id);
  ASSERT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(status["request"].value("url", ""), origin_.url("/photo.jpg"));
  const HttpResponse result = client().get(std::string(kResultPath) + id);
  ASSERT_EQ(result.status, 200) << result;
  const auto image = inspect_image(result.body);
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->format, "jpeg");
  EXPECT_EQ(image->width, 64);
  EXPECT_EQ(image->height, 48);
  EXPECT_EQ(origin_.count("/photo.jpg"), 1U);
  const auto requests = origin_.requests("/photo.jpg");
  EXPECT_EQ(requests.front().header("accept-encoding"), "") << "no compressed bodies asked for";
}

// The image's size is known only once it is fetched: a crop outside it fails the task.
TEST_F(ImagesByUrl, ACropOutsideTheFetchedImageFailsTheTaskWithInvalidCrop) {
  origin_.reply("/photo.jpg", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  const nlohmann::json status =
      run_url_task(origin_.url("/photo.jpg"), {{"width", "64"}, {"crop", "200,0,101,100"}});
  expect_failure(status, "invalid_crop");
  EXPECT_NE(status["error"].value("message", "").find("300x200"), std::string::npos)
      << status.dump();
  EXPECT_EQ(status.value("attempts", 0), 1) << "not worth another attempt";
  const nlohmann::json inside =
      run_url_task(origin_.url("/photo.jpg"), {{"width", "50"}, {"crop", "200,0,100,100"}});
  EXPECT_EQ(inside.value("status", ""), "SUCCESS") << inside.dump();
  EXPECT_EQ(inside["result"].value("height", 0), 50) << inside.dump();
}

TEST_F(ImagesByUrl, FollowsARedirectOnTheSameHost) {
  origin_.reply("/old.png", OriginReply::redirect(301, origin_.url("/new.png")));
  origin_.reply("/new.png", OriginReply::ok(fixture("alpha.png"), "image/png"));
  const nlohmann::json status = run_url_task(origin_.url("/old.png"), {{"width", "20"}});
  EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(origin_.count("/new.png"), 1U);
}

TEST_F(ImagesByUrl, ARedirectToADeniedAddressIsForbiddenAndNeverFollowed) {
  OriginServer elsewhere("127.0.0.2");  // loopback, but not in --outbound-allow 127.0.0.1
  elsewhere.reply("/secret", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  origin_.reply("/jump", OriginReply::redirect(302, elsewhere.url("/secret")));
  const nlohmann::json status = run_url_task(origin_.url("/jump"));
  expect_failure(status, "source_forbidden");
  EXPECT_EQ(status.value("attempts", 0), 1) << "not worth another attempt";
  EXPECT_EQ(elsewhere.all_requests().size(), 0U);
}

TEST_F(ImagesByUrl, ANotFoundSourceFailsAtOnceWithItsStatus) {
  origin_.reply("/gone.jpg", OriginReply::with_status(404, "no such image"));
  const nlohmann::json status = run_url_task(origin_.url("/gone.jpg"));
  expect_failure(status, "source_http_error");
  EXPECT_EQ(status["error"].value("source_status", 0), 404) << status.dump();
  EXPECT_EQ(origin_.count("/gone.jpg"), 1U) << "a 404 is not tried again";
}

// 5xx may pass: tried again 2 s and 4 s later, --max-attempts (3) in all.
TEST_F(ImagesByUrl, AServerErrorIsTriedAgainThenFails) {
  origin_.reply("/busy.jpg", OriginReply::with_status(503));
  const nlohmann::json status = run_url_task(origin_.url("/busy.jpg"));
  expect_failure(status, "source_http_error");
  EXPECT_EQ(status["error"].value("source_status", 0), 503);
  EXPECT_EQ(origin_.count("/busy.jpg"), 3U);
  EXPECT_EQ(status.value("attempts", 0), 3);
}

TEST_F(ImagesByUrl, ASourceThatRecoversSucceedsOnALaterAttempt) {
  origin_.reply_sequence("/flaky.jpg", {OriginReply::with_status(502),
                                        OriginReply::ok(fixture("photo.jpg"), "image/jpeg")});
  const nlohmann::json status = run_url_task(origin_.url("/flaky.jpg"));
  EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  EXPECT_EQ(origin_.count("/flaky.jpg"), 2U);
}

TEST_F(ImagesByUrl, AClosedPortIsUnreachable) {
  std::string url;
  {
    OriginServer closed;
    url = closed.url("/photo.jpg");
  }  // its port is free again: connections are refused
  expect_failure(run_url_task(url), "source_unreachable");
}

// serve's resident memory (its /metrics); 0 on Redis, whose workers have no port here.
double serve_resident_bytes(HttpClient& client, testing::Backend backend) {
  if (backend != testing::Backend::sqlite) return 0;
  return testing::parse_exposition(client.get("/metrics").body)
      .value("process_resident_memory_bytes");
}

// Each fetch stops at --max-upload-bytes (50 MiB), and what it held goes back to the system:
// five of them leave the resident memory where it was.
TEST_F(ImagesByUrl, AnEndlessBodyStopsAtTheUploadLimit) {
  origin_.reply("/endless", OriginReply::endless_body());
  const double resident_before = serve_resident_bytes(client(), server().backend());
  for (int i = 0; i < 5; ++i) {
    expect_failure(run_url_task(origin_.url("/endless")), "source_too_large");
  }
  EXPECT_EQ(origin_.count("/endless"), 5U) << "too large is not tried again";
  const double grown = serve_resident_bytes(client(), server().backend()) - resident_before;
  EXPECT_LT(grown, 16.0 * 1024 * 1024) << "resident memory grew by " << grown << " bytes";
}

TEST_F(ImagesByUrl, ADeclaredLengthOverTheLimitIsRefusedBeforeTheBody) {
  // An endless body has no length of its own: this one claims 60 MB, over the 50 MiB default.
  origin_.reply("/huge.jpg", OriginReply::endless_body().with_header("Content-Length", "60000000"));
  expect_failure(run_url_task(origin_.url("/huge.jpg")), "source_too_large");
}

// A decompression bomb's header arrives first: the transfer stops there, long before the upload
// limit, with the upload's own code.
TEST_F(ImagesByUrl, ABombStopsAtItsHeader) {
  OriginReply bomb = OriginReply::endless_body();
  bomb.body = fixture("../bad/bomb_png_100000x100000.png");
  origin_.reply("/bomb.png", bomb);
  const nlohmann::json status = run_url_task(origin_.url("/bomb.png"));
  expect_failure(status, "image_too_large");
}

TEST_F(ImagesByUrl, ABodyThatIsNotAnImageFailsLikeAnUpload) {
  origin_.reply("/page", OriginReply::ok("<html><body>hello</body></html>", "text/html"));
  const nlohmann::json status = run_url_task(origin_.url("/page"));
  EXPECT_EQ(status.value("status", ""), "FAILURE") << status.dump();
  const std::string code = status["error"].value("code", "");
  EXPECT_TRUE(code == "unsupported_image" || code == "decode_failed") << status.dump();
}

// With the default --outbound-idle-timeout (10 s) a source that sends nothing loses its
// connection, and the task is tried again (2 s later) rather than failed.
TEST_F(ImagesByUrl, ASilentSourceTimesOutAndIsTriedAgain) {
  origin_.reply("/silent.jpg", OriginReply::hanging());
  const HttpResponse accepted = submit_url(client(), origin_.url("/silent.jpg"), {{"width", "9"}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  ASSERT_TRUE(origin_.wait_for("/silent.jpg", 2, 30s)) << server().log_tail();
  const auto requests = origin_.requests("/silent.jpg");
  EXPECT_GE(requests[1].received_at - requests[0].received_at, 10s);
  EXPECT_EQ(client().del(std::string(kTasksPath) + task_id_of(accepted)).status, 204);
}

TEST_F(ImagesByUrl, BothFileAndUrlAreRefused) {
  MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "9"}});
  form.field("url", origin_.url("/photo.jpg"));
  EXPECT_TRUE(is_json_error(client().post_multipart(kResizePath, form), 422, "conflicting_source"));
}

TEST_F(ImagesByUrl, MalformedUrlsAreRefused) {
  for (const char* url : {"file:///etc/passwd", "gopher://127.0.0.1/", "ftp://127.0.0.1/a.jpg",
                          "http://user:secret@127.0.0.1/a.jpg", "http://", "not a url"}) {
    SCOPED_TRACE(url);
    EXPECT_TRUE(is_json_error(submit_url(client(), url, {{"width", "9"}}), 422, "invalid_url"));
  }
}

// --outbound-allow 127.0.0.1 opens that address only.
TEST_F(ImagesByUrl, OtherPrivateAddressesStayForbidden) {
  for (const char* url : {"http://127.0.0.2/", "http://169.254.169.254/latest/meta-data/",
                          "http://10.0.0.1/", "http://[::1]/", "http://[::ffff:192.168.0.1]/"}) {
    SCOPED_TRACE(url);
    EXPECT_TRUE(is_json_error(submit_url(client(), url, {{"width", "9"}}), 422, "url_forbidden"));
  }
}

// The timeouts' codes, with short timeouts and one attempt so that they end in a second or two
// (ASilentSourceTimesOutAndIsTriedAgain above runs the default ones).
class ImagesByUrlTimeouts : public ImagesByUrl {
 public:
  static void SetUpTestSuite() {
    start_with({"--outbound-allow", "127.0.0.1", "--outbound-idle-timeout", "500ms",
                "--outbound-timeout", "2s", "--max-attempts", "1"});
  }
};

TEST_F(ImagesByUrlTimeouts, ASilentSourceEndsSourceTimeout) {
  origin_.reply("/silent.jpg", OriginReply::hanging());
  expect_failure(run_url_task(origin_.url("/silent.jpg")), "source_timeout");
}

// Never silent for long, but never done within the total time.
TEST_F(ImagesByUrlTimeouts, ASlowSourceEndsSourceTimeout) {
  origin_.reply("/slow.jpg", OriginReply::trickled(fixture("photo.jpg"), 64, 100ms));
  expect_failure(run_url_task(origin_.url("/slow.jpg")), "source_timeout");
}

// Every flag at its default: loopback is denied, in every spelling, and nothing is sent.
class ImagesByUrlDenied : public SharedServerTest {
 protected:
  OriginServer origin_;
};

TEST_F(ImagesByUrlDenied, ALoopbackUrlIsRefusedAndNeverRequested) {
  origin_.reply("/photo.jpg", OriginReply::ok(fixture("photo.jpg"), "image/jpeg"));
  const std::string port = std::to_string(origin_.port());
  for (const std::string& url :
       {origin_.url("/photo.jpg"), "http://localhost:" + port + "/photo.jpg",
        "http://0x7f.1:" + port + "/photo.jpg", "http://2130706433:" + port + "/photo.jpg",
        "http://127.1:" + port + "/photo.jpg", "http://[::ffff:127.0.0.1]:" + port + "/photo.jpg",
        "http://example.com@127.0.0.1:" + port + "/photo.jpg"}) {
    SCOPED_TRACE(url);
    const HttpResponse answer = submit_url(client(), url, {{"width", "9"}});
    EXPECT_EQ(answer.status, 422) << answer;
    const auto body = nlohmann::json::parse(answer.body, nullptr, false);
    const std::string code = body.is_object() ? body.value("code", "") : "";
    EXPECT_TRUE(code == "url_forbidden" || code == "invalid_url") << answer;
  }
  EXPECT_EQ(origin_.all_requests().size(), 0U);
}

TEST_F(ImagesByUrlDenied, ACallbackNeedsAWebhookSecret) {
  const HttpResponse answer = client().post_multipart(
      kResizePath, resize_form(fixture("photo.jpg"),
                               {{"width", "9"}, {"callback_url", "https://example.com/h"}}));
  EXPECT_TRUE(is_json_error(answer, 422, "webhooks_disabled"));
}

}  // namespace
}  // namespace image_resize::integration
