#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include "core/log.h"
#include "http/connection_io.h"
#include "http/handlers/handlers.h"
#include "http/request_id.h"
#include "http/tls.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using asio::ip::tcp;

namespace {

auto as_result() { return asio::as_tuple(asio::use_awaitable); }

// How long a closing TLS connection waits for the client's close_notify.
constexpr std::chrono::milliseconds kTlsCloseTime{1000};
// A keep-alive connection idles with at most this much read buffer (it grows for a body).
constexpr std::size_t kIdleBufferBytes = 16 * 1024;

// Counts a request from its headers to its response, for the shutdown drain.
class InFlight {
 public:
  explicit InFlight(std::atomic<int>& counter) : counter_(counter) { ++counter_; }
  ~InFlight() { --counter_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int>& counter_;
};

void log_session_exception(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    core::log::error("connection ended by an exception", {{"error", e.what()}});
  }
}

}  // namespace

Server::Server(ApiContext& ctx) : ctx_(ctx), request_metrics_(ctx.metrics), acceptor_(ioc_) {}

Server::~Server() { shutdown(); }

core::Result<std::uint16_t> Server::listen() {
  if (ctx_.http.tls_enabled()) {
    auto context = make_tls_context(ctx_.http);
    if (!context.ok()) {
      std::string message = "TLS setup failed: ";
      message.append(context.error().log_message());
      return core::Error::make(core::ErrorCode::internal, std::move(message));
    }
    tls_ = std::move(context).value();
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

void Server::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  ctx_.waiters.wake_all();
  const auto give_up_at = Clock::now() + ctx_.http.shutdown_grace;
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
  if (!tls_) {
    co_await run_session(stream, client_address);
    co_return;
  }
  TlsStream tls_stream(std::move(stream), *tls_);
  // A client that connects and says nothing, or trickles its ClientHello, is a slow-loris too.
  beast::get_lowest_layer(tls_stream).expires_after(ctx_.http.header_timeout);
  auto [handshake_error] =
      co_await tls_stream.async_handshake(asio::ssl::stream_base::server, as_result());
  if (handshake_error) {
    co_await handshake_failed(tls_stream.next_layer(), handshake_error, client_address);
    co_return;
  }
  co_await run_session(tls_stream, client_address);
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

template <class Stream>
asio::awaitable<void> Server::run_session(Stream& stream, const std::string& client_address) {
  auto& transport = beast::get_lowest_layer(stream);
  // Bounded: pipelined bytes beyond one request's headers wait in the socket, not in memory.
  beast::flat_buffer buffer(ctx_.http.max_header_bytes + 64 * 1024);
  int requests_served = 0;
  while (!stopping_) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(ctx_.http.max_header_bytes);
    // Beast checks a Content-Length against body_limit only when the header completes, and a
    // chunked body while it arrives; the route is not known before that, so the limit is
    // unset here and each route's limit is applied below.
    parser.body_limit(boost::none);

    transport.expires_after(ctx_.http.header_timeout);
    auto [read_error, header_bytes] =
        co_await beast_http::async_read_header(stream, buffer, parser, as_result());
    if (read_error) {
      if (auto error = read_error_response(read_error, false)) {
        co_await write_and_close(stream, std::move(*error), ctx_.http.write_timeout);
      }
      co_return;
    }

    InFlight in_flight(requests_in_flight_);
    const auto received = Clock::now();
    const std::string request_id = request_id_for(parser.get()["X-Request-Id"]);
    // dispatch() adds the key's name once the request is authenticated.
    Caller caller{.request_id = request_id, .owner = {}, .address = client_address};
    const RouteMatch header_route = match_route(parser.get().method(), parser.get().target());
    const bool is_upload =
        header_route.kind == RouteMatch::Kind::matched && header_route.route == RouteId::resize;
    const auto declared = parser.content_length();
    if (auto early = check_before_body(parser.get(), declared, is_upload)) {
      // Answer before reading the body: an oversized or non-multipart upload is never read.
      early->set("X-Request-Id", request_id);
      record_request(header_route, parser.get(), 0, *early, Clock::now() - received, caller);
      co_await write_and_close(stream, std::move(*early), ctx_.http.write_timeout);
      co_return;
    }
    const std::uint64_t body_limit =
        is_upload ? ctx_.limits.max_upload_bytes : ctx_.http.max_small_body_bytes;
    if (body_limit > 0) {
      parser.body_limit(body_limit);
    }
    if (is_upload && beast::iequals(parser.get()[beast_http::field::expect], "100-continue")) {
      co_await write_continue(stream, parser.get().version(), ctx_.http.write_timeout);
    }

    // A request without a body (most GETs) is complete with its header: no read to post.
    if (!parser.is_done()) {
      // A flat_buffer only grows when it is full, and Beast reads at most its free space: left
      // at the header's size it would take an upload in 512-byte reads (660 recvmsg calls per
      // 340 KB upload, measured). Full size for the body; given back below once it is empty.
      buffer.reserve(buffer.max_size());
      transport.expires_after(ctx_.http.body_timeout);
      auto [body_error, body_bytes] =
          co_await beast_http::async_read(stream, buffer, parser, as_result());
      if (body_error) {
        if (auto error = read_error_response(body_error, true)) {
          error->set("X-Request-Id", request_id);
          record_request(header_route, parser.get(), 0, *error, Clock::now() - received, caller);
          co_await write_and_close(stream, std::move(*error), ctx_.http.write_timeout);
        }
        co_return;
      }
    }

    const Request request = parser.release();
    const RouteMatch route = match_route(request.method(), request.target());
    const auto started = Clock::now();
    Response response = co_await dispatch(request, route, caller);
    response.set("X-Request-Id", request_id);
    if (request.method() == beast_http::verb::head && !response.body().empty()) {
      // HEAD answers the GET headers, Content-Length included, without the body.
      response.content_length(response.body().size());
      response.body().clear();
    }
    record_request(route, request, request.body().size(), response, Clock::now() - started,
                   caller);
    response.version(request.version());
    ++requests_served;
    response.keep_alive(request.keep_alive() && !stopping_ &&
                        requests_served < ctx_.http.max_requests_per_connection);
    const bool keep_alive = response.keep_alive();

    transport.expires_after(ctx_.http.write_timeout);
    auto [write_error, written] = co_await beast_http::async_write(stream, response, as_result());
    if (write_error) co_return;
    if (!keep_alive) break;
    // An idle keep-alive connection holds no more than its unread bytes.
    if (buffer.size() == 0 && buffer.capacity() > kIdleBufferBytes) buffer.shrink_to_fit();
  }
  co_await shutdown_send(stream, kTlsCloseTime);
}

void Server::record_request(const RouteMatch& route, const Request::header_type& request,
                            std::uint64_t body_bytes, const Response& response,
                            Clock::duration elapsed, const Caller& caller) {
  const auto route_id = route.kind == RouteMatch::Kind::not_found
                            ? std::nullopt
                            : std::optional<RouteId>(route.route);
  const double seconds = std::chrono::duration<double>(elapsed).count();
  request_metrics_.record(route_id, response.result_int(), seconds, body_bytes,
                          response.body().size());
  // The path only: a query string is the client's and may carry anything.
  const std::string_view target = request.target();
  // Who asked: the key's name (never the key) and the address, for abuse and rate questions.
  core::log::info("request", {{"request_id", caller.request_id},
                              {"client", caller.address},
                              {"key", caller.owner.empty() ? "-" : caller.owner},
                              {"method", std::string(request.method_string())},
                              {"path", std::string(target.substr(0, target.find('?')))},
                              {"route", std::string(RequestMetrics::route_label(route_id))},
                              {"status", std::to_string(response.result_int())},
                              {"ms", std::to_string(static_cast<int>(seconds * 1000))},
                              {"bytes_in", std::to_string(body_bytes)},
                              {"bytes_out", std::to_string(response.body().size())}});
}

std::optional<Response> Server::check_before_body(const Request::header_type& header,
                                                  boost::optional<std::uint64_t> declared,
                                                  bool is_upload) const {
  if (is_upload) {
    auto checked =
        check_upload_headers(header, declared.value_or(0), declared.has_value(), ctx_.limits);
    if (!checked.ok()) return error_response(checked.error());
    return std::nullopt;
  }
  if (declared && *declared > ctx_.http.max_small_body_bytes) {
    return error_response(core::Error::make(core::ErrorCode::payload_too_large,
                                            "This endpoint takes no request body this large."));
  }
  return std::nullopt;
}

asio::awaitable<std::optional<Response>> Server::check_rate(const Caller& caller) {
  if (ctx_.rate_limiter == nullptr) co_return std::nullopt;
  const std::string bucket = caller.owner.empty() ? "ip:" + caller.address : "key:" + caller.owner;
  auto decision = co_await ctx_.blocking.run([&] { return ctx_.rate_limiter->take(bucket); });
  if (!decision.ok()) {
    // The store behind the limiter is down: the request would fail anyway, and it says why.
    core::log::warn("rate limiter unavailable", {{"error", decision.error().log_message()}});
    co_return std::nullopt;
  }
  if (decision->allowed) co_return std::nullopt;
  const auto seconds = std::max<std::int64_t>(1, (decision->retry_after.count() + 999) / 1000);
  Response response = error_response(core::Error::make(
      core::ErrorCode::rate_limited, "Too many requests; retry after " + std::to_string(seconds) +
                                         " s."));
  response.set(beast_http::field::retry_after, std::to_string(seconds));
  co_return response;
}

asio::awaitable<Response> Server::dispatch(const Request& request, const RouteMatch& route,
                                           Caller& caller) {
  const bool hidden = ctx_.http.operations_only && !is_operations_route(route.route);
  try {
    switch (hidden ? RouteMatch::Kind::not_found : route.kind) {
      case RouteMatch::Kind::not_found:
        co_return error_response(core::Error::make(
            core::ErrorCode::route_not_found,
            "No such endpoint. See /api/v1/openapi.json for the routes of this API."));
      case RouteMatch::Kind::method_not_allowed: {
        Response response = error_response(core::Error::make(
            core::ErrorCode::method_not_allowed, "This endpoint does not accept " +
                                                     std::string(request.method_string()) +
                                                     "; use " + route.allow + "."));
        response.set(beast_http::field::allow, route.allow);
        co_return response;
      }
      case RouteMatch::Kind::matched: break;
    }
    const bool api_route = request.target().starts_with("/api/v1/");
    if (ctx_.api_keys.enabled() && api_route) {
      auto owner = ctx_.api_keys.authenticate(request[beast_http::field::authorization]);
      if (!owner.ok()) {
        Response response = error_response(owner.error());
        if (owner.error().code == core::ErrorCode::unauthorized) {
          response.set("WWW-Authenticate", "Bearer");
        }
        co_return response;
      }
      caller.owner = std::move(owner).value();
    }
    if (api_route) {
      if (auto refused = co_await check_rate(caller)) co_return std::move(*refused);
    }
    switch (route.route) {
      case RouteId::resize: co_return co_await handle_resize(ctx_, request, caller);
      case RouteId::status: co_return co_await handle_status(ctx_, request, route, caller);
      case RouteId::result: co_return co_await handle_result(ctx_, request, route, caller);
      case RouteId::delete_task: co_return co_await handle_delete(ctx_, route, caller);
      case RouteId::healthz: co_return handle_healthz();
      case RouteId::readyz: co_return co_await handle_readyz(ctx_);
      case RouteId::metrics: co_return co_await handle_metrics(ctx_);
      case RouteId::openapi: co_return handle_openapi();
      case RouteId::dashboard_data: co_return co_await handle_dashboard_data(ctx_);
      case RouteId::home_page:
      case RouteId::dashboard_page:
      case RouteId::asset: co_return handle_page(request, route);
    }
  } catch (const std::exception& e) {
    core::log::error("request failed with an exception",
                     {{"target", std::string(request.target())}, {"error", e.what()}});
  }
  co_return error_response(
      core::Error::make(core::ErrorCode::internal, "Internal error; it has been logged."));
}

}  // namespace image_resize::http
