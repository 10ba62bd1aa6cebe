// --max-upload-bytes: 413 for a bigger body, answered from the headers alone (the client that
// promised a huge body and sent a little gets its answer at once), while uploads under the
// limit still work.
#include <chrono>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kLimit = 100 * 1024;

class UploadLimit : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--max-upload-bytes", "100K"}); }
};

// photo.jpg padded with zeros after its end marker, to `size` bytes: still a valid JPEG.
std::string padded_jpeg(std::size_t size) {
  std::string bytes = fixture("photo.jpg");
  if (bytes.size() < size) bytes.resize(size, '\0');
  return bytes;
}

TEST_F(UploadLimit, ABodyOverTheLimitIs413) {
  HttpClient client(server_->port());
  const HttpResponse response = submit(client, padded_jpeg(2 * kLimit), {{"width", "10"}});
  EXPECT_TRUE(is_json_error(response, 413, "payload_too_large"));
}

TEST_F(UploadLimit, IsAnsweredFromTheHeadersBeforeTheBody) {
  // Promise 50 MB, send 1 KB, and wait: the 413 must come without the rest of the body.
  const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "10"}});
  const std::string body_start = form.body().substr(0, 1024);
  const std::string head =
      "POST /api/v1/images/resize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: " +
      form.content_type() +
      "\r\n"
      "Content-Length: 52428800\r\n\r\n";
  HttpClient raw(server_->port(), std::chrono::seconds(10));
  const HttpResponse response = raw.send_raw(head + body_start);
  EXPECT_TRUE(is_json_error(response, 413, "payload_too_large"));
  EXPECT_LT(response.elapsed, milliseconds(3000)) << "the server waited for the body";
}

TEST_F(UploadLimit, ChunkedBodyOverTheLimitIs413) {
  const MultipartBody form = resize_form(padded_jpeg(2 * kLimit), {{"width", "10"}});
  const std::string body = form.body();
  std::string chunked;
  constexpr std::size_t kChunk = 16 * 1024;
  for (std::size_t at = 0; at < body.size(); at += kChunk) {
    const std::string piece = body.substr(at, kChunk);
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
    chunked += size_line + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  const std::string head =
      "POST /api/v1/images/resize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: " +
      form.content_type() +
      "\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  HttpClient raw(server_->port(), std::chrono::seconds(10));
  const HttpResponse response = raw.send_raw(head + chunked);
  // The 413 may come while we are still writing; a reset connection without it is a failure.
  EXPECT_TRUE(is_json_error(response, 413, "payload_too_large"));
}

TEST_F(UploadLimit, AnUploadUnderTheLimitIsAccepted) {
  HttpClient client(server_->port());
  const std::string image = padded_jpeg(kLimit - 4096);
  const FinishedTask task = run_task(client, image, {{"width", "10"}});
  EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
}

}  // namespace
}  // namespace image_resize::integration
