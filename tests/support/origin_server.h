#pragma once
// OriginServer: a scripted HTTP/1.1 server on a loopback address, inside the test process, for
// tests of the service's own requests (the OutboundClient, images by URL, webhook deliveries).
// It binds the address it is given (127.0.0.1, 127.0.0.2, ... or ::1) on a free port and serves
// on a thread of its own until stop() or destruction.
//
//   testing::OriginServer origin;                          // 127.0.0.1, a free port
//   origin.reply("/cat.jpg", testing::OriginReply::ok(jpeg_bytes, "image/jpeg"));
//   origin.reply_sequence("/hook", {OriginReply::status(500), OriginReply::status(500),
//                                   OriginReply::status(200)});   // fails twice, then succeeds
//   ... the code under test requests origin.url("/cat.jpg") ...
//   ASSERT_TRUE(origin.wait_for("/hook", 3, 5s));
//   origin.requests("/hook")[2].body, .headers.at("content-type"), .received_at
//
// Replies are scripted per path (the target without its query): one reply, or a sequence whose
// last reply repeats. A reply may wait before it answers, trickle its body, send an endless
// body, redirect, or hang (never answer, until the server stops). A path with no script is
// answered 404.
//
// It is also a plain HTTP proxy: a request whose target is absolute ("GET http://host:port/p",
// what a client sends to an http_proxy) is recorded under its path with via_proxy set and
// forwarded to that origin (a loopback address only; anything else is answered 502 and never
// connected to), whose answer is relayed. No CONNECT: it proxies plain http only.
//
// Every request is recorded (method, target, headers, body, time) before it is answered.
// Thread safety: every method from any thread; scripts may change while it serves.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace image_resize::testing {

struct OriginReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is added
  std::string body;
  std::chrono::milliseconds delay{0};  // before the status line
  // When trickle_bytes > 0: the headers at once, then the body trickle_bytes at a time, one
  // piece every trickle_every.
  std::size_t trickle_bytes = 0;
  std::chrono::milliseconds trickle_every{0};
  // A body without a length, 64 KiB pieces of 'x' after `body`, until the client goes away.
  bool endless = false;
  // Reads the request and answers nothing; the connection closes when the server stops.
  bool hang = false;
  bool close = false;  // close the connection after answering

  static OriginReply ok(std::string body, std::string content_type = "text/plain");
  static OriginReply with_status(int status, std::string body = {});
  static OriginReply redirect(int status, std::string location);
  // 200 with `body`, `bytes` at a time, one piece every `every`.
  static OriginReply trickled(std::string body, std::size_t bytes, std::chrono::milliseconds every);
  static OriginReply endless_body();
  static OriginReply hanging();
  // This reply, sent `delay` late / with one more header.
  OriginReply after(std::chrono::milliseconds wait) const;
  OriginReply with_header(std::string name, std::string value) const;
};

struct OriginRequest {
  std::string method;
  std::string target;  // as sent: "/p?q", or "http://127.0.0.1:8080/p?q" through the proxy
  std::string path;    // without scheme, authority and query: what replies are scripted by
  std::map<std::string, std::string> headers;  // names in lowercase; repeated ones joined ", "
  std::string body;
  bool via_proxy = false;  // an absolute-form target: sent to this server as a proxy
  std::chrono::steady_clock::time_point received_at;

  // The header's value, or "" when absent.
  std::string header(const std::string& lowercase_name) const;
};

class OriginServer {
 public:
  // `address`: a loopback address, "127.0.0.1", "127.0.0.2", "::1"...
  explicit OriginServer(std::string address = "127.0.0.1");
  ~OriginServer();
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  void reply(std::string path, OriginReply reply);
  // The replies in order, one per request; the last one repeats.
  void reply_sequence(std::string path, std::vector<OriginReply> replies);

  const std::string& address() const { return address_; }
  std::uint16_t port() const { return port_; }
  // "127.0.0.1:41234", "[::1]:41234".
  std::string authority() const;
  // "http://127.0.0.1:41234" + path.
  std::string url(std::string_view path) const;

  // The requests recorded for `path`, in the order they came.
  std::vector<OriginRequest> requests(std::string_view path) const;
  std::vector<OriginRequest> all_requests() const;
  std::size_t count(std::string_view path) const;
  // True once `path` has had at least `n` requests; false after `timeout`.
  bool wait_for(std::string_view path, std::size_t n, std::chrono::milliseconds timeout) const;

  // Stops serving and closes every connection (hanging ones too). Idempotent.
  void stop();

  struct State;  // the scripts and records, shared with the serving thread

 private:
  struct Io;  // Boost.Asio's io_context and acceptor, kept out of this header

  std::string address_;
  std::uint16_t port_ = 0;
  std::shared_ptr<State> state_;
  std::unique_ptr<Io> io_;
  std::thread thread_;
};

}  // namespace image_resize::testing
