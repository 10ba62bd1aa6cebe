#pragma once
// A small synchronous HTTP/1.1 client for integration tests, on Boost.Beast (kept out of this
// header), over plain TCP or TLS. Every call has a deadline, so a hung server fails a test
// instead of hanging it, and transport errors come back in the response rather than as
// exceptions.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace image_resize::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0 when no response arrived; `error` says why
  HeaderList headers;
  std::string body;
  std::string error;  // transport error ("timeout", "connection reset", ...), empty when fine
  std::chrono::milliseconds elapsed{0};

  // The first header named `name`, compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
  bool has_header(std::string_view name) const { return header(name).has_value(); }
  // The body parsed as JSON; a discarded value when it is not JSON.
  nlohmann::json json() const;
};

// For failure messages: status, headers and (the start of) the body.
std::ostream& operator<<(std::ostream& out, const HttpResponse& response);

// A multipart/form-data body: text fields and file parts, in order.
class MultipartBody {
 public:
  explicit MultipartBody(std::string boundary = "image-resize-test-boundary-3f9a7c21e8");

  MultipartBody& field(std::string_view name, std::string_view value);
  MultipartBody& file(std::string_view name, std::string_view filename,
                      std::string_view content_type, std::string_view bytes);

  // "multipart/form-data; boundary=..."
  std::string content_type() const;
  // All parts and the closing delimiter.
  std::string body() const;

 private:
  std::string boundary_;
  std::string parts_;
};

// HTTPS: the server's certificate must chain to `ca_file` and be issued to `server_name` (a host
// name, also sent as SNI, or an IP address). A failed verification is a transport error.
struct TlsClientOptions {
  std::filesystem::path ca_file;
  std::string server_name = "localhost";
};

class HttpClient {
 public:
  // Talks to host:port; each call must finish within `timeout`. Keeps the connection open
  // between calls when the server allows it, and reconnects when it does not. With `tls`, every
  // connection starts with a TLS handshake (its time counts in the call's).
  explicit HttpClient(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20),
                      std::string host = "127.0.0.1",
                      std::optional<TlsClientOptions> tls = std::nullopt);
  HttpClient(std::uint16_t port, TlsClientOptions tls,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  // Any method ("GET", "HEAD", "POST", "DELETE", ...). Content-Length is set from the body
  // unless `headers` sets it; Host is set unless given.
  HttpResponse request(std::string_view method, std::string_view target,
                       const HeaderList& headers = {}, std::string body = {});

  HttpResponse get(std::string_view target, const HeaderList& headers = {});
  HttpResponse head(std::string_view target, const HeaderList& headers = {});
  HttpResponse del(std::string_view target);
  // Sends `body` from where it is, without a copy.
  HttpResponse post(std::string_view target, std::string_view content_type, std::string_view body);
  HttpResponse post_multipart(std::string_view target, const MultipartBody& form);

  // Writes `bytes` as they are on a fresh connection (e.g. a request head promising more body
  // than follows), then reads one response. The connection is closed afterwards.
  HttpResponse send_raw(std::string_view bytes);
  // The same, reading up to `count` responses (pipelined requests); stops at the first error,
  // which is then the last element.
  std::vector<HttpResponse> send_raw(std::string_view bytes, std::size_t count);

  // Drops the kept-alive connection, if any.
  void close();
  // Connections opened so far (a kept-alive one is counted once).
  int connections_opened() const;
  // Per-call deadline.
  void set_timeout(std::chrono::milliseconds timeout);

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace image_resize::testing
