#pragma once
// The HTTP front end's listener: an acceptor and one coroutine per connection (on its own
// strand), running on a few I/O threads; the connection's requests are its Session's
// (session.h), each answered by the Dispatcher (dispatcher.h) from the route table (routes.h).
// Nothing here blocks an I/O thread. With --tls-cert every connection is TLS: the same session
// runs over the TLS stream after a handshake under the header timeout.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/optional/optional.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "http/api_context.h"
#include "http/dispatcher.h"
#include "http/request_metrics.h"
#include "http/session.h"

namespace boost::asio::ssl {
class context;
}

namespace image_resize::http {

class Server {
 public:
  explicit Server(ApiContext& ctx);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key when configured, binds ctx.http.host:port and listens;
  // returns the port actually bound (for port 0).
  core::Result<std::uint16_t> listen();
  // Starts the I/O threads; returns at once.
  void start();
  // With TLS on: loads the certificate and key again; new connections use them, open ones keep
  // theirs. An error (the old pair stays) when they do not load; ok without TLS.
  core::Status reload_tls();
  // Graceful stop: no new connections, long-polls answer now, requests in progress get up to
  // `grace` to finish; then the I/O threads stop. Idempotent.
  void shutdown(std::chrono::milliseconds grace);

 private:
  boost::asio::awaitable<void> accept_loop();
  // One accepted connection, counted against max_connections: the TLS handshake when TLS is
  // on, then the requests.
  boost::asio::awaitable<void> serve_connection(boost::beast::tcp_stream stream);
  // Logs and counts a failed handshake; answers a plain HTTP request with a 400.
  boost::asio::awaitable<void> handshake_failed(boost::beast::tcp_stream& stream,
                                                const boost::system::error_code& error,
                                                const std::string& client_address);
  using Clock = std::chrono::steady_clock;

  ApiContext& ctx_;
  RequestMetrics request_metrics_;
  Dispatcher dispatcher_;
  std::atomic<int> requests_in_flight_{0};
  std::atomic<bool> stopping_{false};
  SessionShared shared_;
  // Set by listen() when TLS is on, replaced by reload_tls(); each connection holds the one it
  // started with.
  std::atomic<std::shared_ptr<boost::asio::ssl::context>> tls_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::atomic<int> connections_{0};  // sessions running now, for max_connections
  bool stopped_ = false;
};

}  // namespace image_resize::http
