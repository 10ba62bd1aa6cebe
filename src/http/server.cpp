#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "core/log.h"
#include "http/connection_io.h"
#include "http/handlers/reuse.h"
#include "http/tls.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using asio::ip::tcp;

namespace {

auto as_result() { return asio::as_tuple(asio::use_awaitable); }

void log_session_exception(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    core::log::error("connection ended by an exception", {{"error", e.what()}});
  }
}

}  // namespace

Server::Server(ApiContext& ctx)
    : ctx_(ctx),
      request_metrics_(ctx.metrics),
      dispatcher_(ctx),
      shared_{.ctx = ctx,
              .dispatcher = dispatcher_,
              .request_metrics = request_metrics_,
              .requests_in_flight = requests_in_flight_,
              .stopping = stopping_},
      acceptor_(ioc_) {
  if (!ctx.http.operations_only) results_reused_counter(ctx.metrics);
}

Server::~Server() { shutdown(std::chrono::milliseconds(0)); }

core::Status Server::reload_tls() {
  if (!ctx_.http.tls_enabled()) return {};
  auto context = make_tls_context(ctx_.http);
  if (!context.ok()) return context.error();
  tls_.store(std::shared_ptr<asio::ssl::context>(std::move(context).value()));
  core::log::info("TLS certificate reloaded", {{"cert", ctx_.http.tls_cert_file}});
  return {};
}

core::Result<std::uint16_t> Server::listen() {
  if (ctx_.http.tls_enabled()) {
    auto context = make_tls_context(ctx_.http);
    if (!context.ok()) {
      std::string message = "TLS setup failed: ";
      message.append(context.error().log_message());
      return core::Error::make(core::ErrorCode::internal, std::move(message));
    }
    tls_.store(std::shared_ptr<asio::ssl::context>(std::move(context).value()));
    core::log::info("TLS on", {{"cert", ctx_.http.tls_cert_file}});
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(ctx_.http.host, ec);
  if (ec) {
    return core::Error::make(core::ErrorCode::internal, "invalid --host " + ctx_.http.host);
  }
  const tcp::endpoint endpoint{address, ctx_.http.port};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Error::make(core::ErrorCode::internal, "cannot listen on " + ctx_.http.host + ":" +
                                                            std::to_string(ctx_.http.port) + ": " +
                                                            ec.message());
  }
  return acceptor_.local_endpoint().port();
}

void Server::start() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), log_session_exception);
  for (int i = 0; i < ctx_.http.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void Server::shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  ctx_.waiters.wake_all();
  const auto give_up_at = Clock::now() + grace;
  while (requests_in_flight_.load() > 0 && Clock::now() < give_up_at) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (requests_in_flight_.load() > 0) {
    core::log::warn("shutdown grace over; closing requests still in progress",
                    {{"requests", std::to_string(requests_in_flight_.load())}});
  }
  ioc_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer backoff(acceptor_.get_executor());
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), as_result());
    if (ec) {
      if (!acceptor_.is_open() || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors or similar: log, pause briefly rather than spin.
      core::log::warn("accept failed", {{"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(as_result());
      continue;
    }
    if (connections_.load() >= ctx_.http.max_connections) {
      // Closed before anything is read: the cheapest answer to a flood.
      ctx_.metrics
          .counter("image_resize_http_connections_refused_total",
                   "Connections closed at once because --max-connections were open")
          .inc();
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(beast::tcp_stream(std::move(socket))),
                   log_session_exception);
  }
}

asio::awaitable<void> Server::serve_connection(beast::tcp_stream stream) {
  InFlight connection(connections_);
  beast::error_code address_error;
  const std::string client_address =
      stream.socket().remote_endpoint(address_error).address().to_string();
  const std::shared_ptr<asio::ssl::context> tls = tls_.load();
  if (!tls) {
    co_await run_session(stream, client_address, shared_);
    co_return;
  }
  TlsStream tls_stream(std::move(stream), *tls);
  // A client that connects and says nothing, or trickles its ClientHello, is a slow-loris too.
  beast::get_lowest_layer(tls_stream).expires_after(ctx_.http.header_timeout);
  auto [handshake_error] =
      co_await tls_stream.async_handshake(asio::ssl::stream_base::server, as_result());
  if (handshake_error) {
    co_await handshake_failed(tls_stream.next_layer(), handshake_error, client_address);
    co_return;
  }
  co_await run_session(tls_stream, client_address, shared_);
}

asio::awaitable<void> Server::handshake_failed(beast::tcp_stream& stream,
                                               const beast::error_code& error,
                                               const std::string& client_address) {
  const std::string kind = handshake_failure_kind(error);
  ctx_.metrics
      .counter("image_resize_tls_handshake_failures_total",
               "TLS handshakes that failed, by kind: timeout, closed, plain_http, protocol",
               {{"kind", kind}})
      .inc();
  // Debug only: port scanners and stray clients are no news to the operator.
  core::log::debug("TLS handshake failed",
                   {{"client", client_address}, {"kind", kind}, {"error", error.message()}});
  if (kind != "plain_http") co_return;
  // OpenSSL sent nothing back, so the socket is still plain: say it in HTTP, as nginx does.
  co_await write_and_close(
      stream,
      error_response(core::Error::make(core::ErrorCode::malformed_request,
                                       "This port speaks HTTPS only; use an https:// URL.")),
      ctx_.http.write_timeout);
}

}  // namespace image_resize::http
