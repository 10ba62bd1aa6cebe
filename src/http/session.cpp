#include "http/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <variant>

#include "core/log.h"
#include "http/connection_io.h"
#include "http/request_id.h"
#include "http/tls.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

using Clock = std::chrono::steady_clock;

auto as_result() { return asio::as_tuple(asio::use_awaitable); }

// How long a closing TLS connection waits for the client's close_notify.
constexpr std::chrono::milliseconds kTlsCloseTime{1000};
// A keep-alive connection idles with at most this much read buffer (it grows for a body).
constexpr std::size_t kIdleBufferBytes = 16 * 1024;

// Metrics and the request's log line; `bytes_out` is the size of the body sent (0 for HEAD).
void record_request(RequestMetrics& request_metrics, const RouteMatch& route,
                    const Request::header_type& request, std::uint64_t body_bytes,
                    const Response::header_type& response, std::uint64_t bytes_out,
                    Clock::duration elapsed, const Caller& caller) {
  const auto route_id = route.kind == RouteMatch::Kind::not_found
                            ? std::nullopt
                            : std::optional<RouteId>(route.route);
  const double seconds = std::chrono::duration<double>(elapsed).count();
  request_metrics.record(route_id, response.result_int(), seconds, body_bytes, bytes_out);
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
                              {"bytes_out", std::to_string(bytes_out)}});
}

// HEAD answers the GET headers, Content-Length included, without the body: a file's is closed
// unread.
Reply without_body(Reply reply) {
  if (auto* file = std::get_if<FileResponse>(&reply)) {
    const std::uint64_t length = file->body().size();
    Response response{std::move(file->base())};
    response.content_length(length);
    return response;
  }
  auto& response = std::get<Response>(reply);
  if (!response.body().empty()) {
    response.content_length(response.body().size());
    response.body().clear();
  }
  return reply;
}

// The answer to give before reading the body (wrong type, too large), if any.
std::optional<Response> check_before_body(const ApiContext& ctx, const Request::header_type& header,
                                          boost::optional<std::uint64_t> declared, bool is_upload) {
  if (is_upload) {
    auto checked =
        check_upload_headers(header, declared.value_or(0), declared.has_value(), ctx.limits);
    if (!checked.ok()) return error_response(checked.error());
    return std::nullopt;
  }
  if (declared && *declared > ctx.http.max_small_body_bytes) {
    return error_response(core::Error::make(core::ErrorCode::payload_too_large,
                                            "This endpoint takes no request body this large."));
  }
  return std::nullopt;
}

// --cors-origins: a listed origin may read the answer (and an error's JSON) in its page.
void add_cors_headers(const ApiContext& ctx, const Request::header_type& request,
                      Response::header_type& response) {
  if (!ctx.cors.enabled()) return;
  for (auto& [name, value] : ctx.cors.response_headers(request[beast_http::field::origin])) {
    response.set(name, value);
  }
}

}  // namespace

template <class Stream>
asio::awaitable<void> run_session(Stream& stream, const std::string& client_address,
                                  SessionShared& shared) {
  const ApiContext& ctx = shared.ctx;
  auto& transport = beast::get_lowest_layer(stream);
  // Bounded: pipelined bytes beyond one request's headers wait in the socket, not in memory.
  beast::flat_buffer buffer(ctx.http.max_header_bytes + 64 * 1024);
  int requests_served = 0;
  while (!shared.stopping) {
    beast_http::request_parser<RequestBody> parser;
    parser.header_limit(ctx.http.max_header_bytes);
    // Beast checks a Content-Length against body_limit only when the header completes, and a
    // chunked body while it arrives; the route is not known before that, so the limit is
    // unset here and each route's limit is applied below.
    parser.body_limit(boost::none);

    transport.expires_after(ctx.http.header_timeout);
    auto [read_error, header_bytes] =
        co_await beast_http::async_read_header(stream, buffer, parser, as_result());
    if (read_error) {
      if (auto error = read_error_response(read_error, false)) {
        co_await write_and_close(stream, std::move(*error), ctx.http.write_timeout);
      }
      co_return;
    }

    InFlight in_flight(shared.requests_in_flight);
    const auto received = Clock::now();
    const std::string request_id = request_id_for(parser.get()["X-Request-Id"]);
    // dispatch() adds the key's name once the request is authenticated.
    Caller caller{.request_id = request_id,
                  .owner = {},
                  .address = ctx.trusted_proxies.client_address(client_address,
                                                                parser.get()["X-Forwarded-For"])};
    const RouteMatch header_route = match_route(parser.get().method(), parser.get().target());
    const bool is_upload =
        header_route.kind == RouteMatch::Kind::matched && header_route.route == RouteId::resize;
    const auto declared = parser.content_length();
    if (auto early = check_before_body(ctx, parser.get(), declared, is_upload)) {
      // Answer before reading the body: an oversized or non-multipart upload is never read.
      early->set("X-Request-Id", request_id);
      add_cors_headers(ctx, parser.get(), *early);
      record_request(shared.request_metrics, header_route, parser.get(), 0, *early,
                     early->body().size(), Clock::now() - received, caller);
      co_await write_and_close(stream, std::move(*early), ctx.http.write_timeout);
      co_return;
    }
    const std::uint64_t body_limit =
        is_upload ? ctx.limits.max_upload_bytes : ctx.http.max_small_body_bytes;
    if (body_limit > 0) {
      parser.body_limit(body_limit);
    }
    if (is_upload && beast::iequals(parser.get()[beast_http::field::expect], "100-continue")) {
      co_await write_continue(stream, parser.get().version(), ctx.http.write_timeout);
    }

    // A request without a body (most GETs) is complete with its header: no read to post.
    if (!parser.is_done()) {
      // A flat_buffer only grows when it is full, and Beast reads at most its free space: left
      // at the header's size it would take an upload in 512-byte reads (660 recvmsg calls per
      // 340 KB upload, measured). Full size for the body; given back below once it is empty.
      buffer.reserve(buffer.max_size());
      transport.expires_after(ctx.http.body_timeout);
      auto [body_error, body_bytes] =
          co_await beast_http::async_read(stream, buffer, parser, as_result());
      if (body_error) {
        if (auto error = read_error_response(body_error, true)) {
          error->set("X-Request-Id", request_id);
          record_request(shared.request_metrics, header_route, parser.get(), 0, *error,
                         error->body().size(), Clock::now() - received, caller);
          co_await write_and_close(stream, std::move(*error), ctx.http.write_timeout);
        }
        co_return;
      }
    }

    const Request request = parser.release();
    const RouteMatch route = match_route(request.method(), request.target());
    const auto started = Clock::now();
    Reply reply = co_await shared.dispatcher.dispatch(request, route, caller);
    if (request.method() == beast_http::verb::head) reply = without_body(std::move(reply));
    ++requests_served;
    const bool keep_alive = request.keep_alive() && !shared.stopping &&
                            requests_served < ctx.http.max_requests_per_connection;
    // The same for a body in memory and one sent from a file.
    std::visit(
        [&](auto& response) {
          response.set("X-Request-Id", request_id);
          add_cors_headers(ctx, request, response);
          record_request(shared.request_metrics, route, request, request.body().size(), response,
                         response.body().size(), Clock::now() - started, caller);
          response.version(request.version());
          response.keep_alive(keep_alive);
        },
        reply);

    transport.expires_after(ctx.http.write_timeout);
    // A file's body is read as it is written; a client gone mid-way ends the write with an
    // error, and the reply (its descriptor with it) goes with this coroutine's frame.
    auto [write_error, written] = co_await std::visit(
        [&](auto& response) { return beast_http::async_write(stream, response, as_result()); },
        reply);
    if (write_error) co_return;
    if (!keep_alive) break;
    // An idle keep-alive connection holds no more than its unread bytes.
    if (buffer.size() == 0 && buffer.capacity() > kIdleBufferBytes) buffer.shrink_to_fit();
  }
  co_await shutdown_send(stream, kTlsCloseTime);
}

// The two kinds of connection a Server has.
template asio::awaitable<void> run_session(beast::tcp_stream&, const std::string&, SessionShared&);
template asio::awaitable<void> run_session(TlsStream&, const std::string&, SessionShared&);

}  // namespace image_resize::http
