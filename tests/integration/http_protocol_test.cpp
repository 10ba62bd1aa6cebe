// HTTP/1.1 as real clients speak it: quoted boundaries and media types in any case (RFC 9110,
// RFC 7578), pipelined requests answered in order, HTTP/1.0, and idle or half-sent requests
// closed after --header-timeout instead of holding a connection forever.
#include <chrono>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

class HttpProtocol : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--header-timeout", "1s"}); }
};

TEST_F(HttpProtocol, ContentTypeParametersFollowTheRfc) {
  const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "10"}});  // its boundary
  const std::string boundary = form.content_type().substr(form.content_type().find('=') + 1);
  for (const std::string& type : {"multipart/form-data; boundary=\"" + boundary + "\"",
                                  "Multipart/Form-Data; boundary=" + boundary,
                                  "multipart/form-data; charset=utf-8; boundary=" + boundary,
                                  "multipart/form-data;boundary=" + boundary}) {
    HttpClient client(server_->port());
    const HttpResponse response = client.post(kResizePath, type, form.body());
    EXPECT_EQ(response.status, 202) << type << "\n" << response;
  }
}

TEST_F(HttpProtocol, PipelinedRequestsAreAnsweredInOrder) {
  HttpClient raw(server_->port(), 5s);
  const auto responses = raw.send_raw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/status/not-a-uuid HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      3);
  ASSERT_EQ(responses.size(), 3U);
  EXPECT_EQ(responses[0].status, 200) << responses[0];
  EXPECT_EQ(responses[0].body.find("ready"), std::string::npos) << "answers out of order";
  EXPECT_TRUE(is_json_error(responses[1], 404, "task_not_found"));
  EXPECT_EQ(responses[2].status, 200) << responses[2];
  EXPECT_NE(responses[2].body.find("ready"), std::string::npos) << responses[2];
}

TEST_F(HttpProtocol, Http10IsAnswered) {
  HttpClient raw(server_->port(), 5s);
  const HttpResponse response = raw.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(response.status, 200) << response;
}

TEST_F(HttpProtocol, AnIdleConnectionIsClosedAfterTheHeaderTimeout) {
  HttpClient raw(server_->port(), 5s);
  const HttpResponse response = raw.send_raw("");
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error, "timeout") << "still open after 5 s with --header-timeout 1s";
  EXPECT_LT(response.elapsed, 4s);
}

TEST_F(HttpProtocol, AHalfSentHeaderIsClosedAfterTheHeaderTimeout) {
  HttpClient raw(server_->port(), 5s);
  const HttpResponse response = raw.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  EXPECT_NE(response.error, "timeout") << "still open after 5 s with --header-timeout 1s";
  EXPECT_LT(response.elapsed, 4s);
}

TEST_F(HttpProtocol, ConnectionCloseIsHonoured) {
  HttpClient client(server_->port());
  const HttpResponse response = client.request("GET", "/healthz", {{"Connection", "close"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Connection").value_or(""), "close") << response;
}

}  // namespace
}  // namespace image_resize::integration
