#include "http/connection_io.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <type_traits>

#include "http/tls.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {
// After an early answer, read and drop at most this much of the unread request...
constexpr std::size_t kMaxDrainBytes = 4 * 1024 * 1024;
// ...for at most this long.
constexpr std::chrono::milliseconds kMaxDrainTime{2000};
}  // namespace

std::optional<Response> read_error_response(const beast::error_code& error, bool reading_body) {
  if (error == beast_http::error::end_of_stream || error == beast::error::timeout ||
      error == asio::error::eof || error == asio::error::connection_reset ||
      error == asio::error::operation_aborted || error == beast_http::error::partial_message) {
    return std::nullopt;
  }
  // A broken TLS session (the client closed without close_notify, a bad record) has nobody
  // left to read an answer.
  if (error.category() == asio::error::get_ssl_category() ||
      error == asio::ssl::error::stream_truncated) {
    return std::nullopt;
  }
  if (error == beast_http::error::body_limit) {
    return error_response(core::Error::make(core::ErrorCode::payload_too_large,
                                            "The upload is larger than this server accepts."));
  }
  if (error == beast_http::error::header_limit) {
    return error_response(core::Error::make(core::ErrorCode::headers_too_large,
                                            "The request headers are too large."));
  }
  if (error.category() ==
          beast_http::make_error_code(beast_http::error::end_of_stream).category() ||
      !reading_body) {
    return error_response(
        core::Error::make(core::ErrorCode::malformed_request,
                          "The request is not valid HTTP/1.1: " + error.message()));
  }
  return std::nullopt;
}

template <class Stream>
asio::awaitable<void> write_continue(Stream& stream, unsigned version,
                                     std::chrono::milliseconds timeout) {
  beast_http::response<beast_http::empty_body> response{beast_http::status::continue_, version};
  beast::get_lowest_layer(stream).expires_after(timeout);
  co_await beast_http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
}

template <class Stream>
asio::awaitable<void> shutdown_send(Stream& stream, std::chrono::milliseconds timeout) {
  beast::tcp_stream& transport = beast::get_lowest_layer(stream);
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    transport.expires_after(timeout);
    co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  }
  beast::error_code ignored;
  transport.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

template <class Stream>
asio::awaitable<void> write_and_close(Stream& stream, Response response,
                                      std::chrono::milliseconds timeout) {
  response.keep_alive(false);
  beast::tcp_stream& transport = beast::get_lowest_layer(stream);
  transport.expires_after(timeout);
  auto [write_error, written] =
      co_await beast_http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
  co_await shutdown_send(stream, kMaxDrainTime);
  if (write_error) co_return;
  // Below TLS: what is left is dropped unread, decrypted or not.
  std::array<char, 16 * 1024> sink{};
  std::size_t drained = 0;
  transport.expires_after(kMaxDrainTime);
  while (drained < kMaxDrainBytes) {
    auto [read_error, n] =
        co_await transport.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (read_error) break;
    drained += n;
  }
}

// The two kinds of connection a Server has.
template asio::awaitable<void> write_continue(beast::tcp_stream&, unsigned,
                                              std::chrono::milliseconds);
template asio::awaitable<void> write_continue(TlsStream&, unsigned, std::chrono::milliseconds);
template asio::awaitable<void> write_and_close(beast::tcp_stream&, Response,
                                               std::chrono::milliseconds);
template asio::awaitable<void> write_and_close(TlsStream&, Response, std::chrono::milliseconds);
template asio::awaitable<void> shutdown_send(beast::tcp_stream&, std::chrono::milliseconds);
template asio::awaitable<void> shutdown_send(TlsStream&, std::chrono::milliseconds);

}  // namespace image_resize::http
