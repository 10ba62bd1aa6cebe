#pragma once
// Small pieces of a connection's life that are not request handling: turning a read error into
// the response it deserves, "100 Continue", and closing after an early answer without
// resetting the connection under the client.
// `Stream` is beast::tcp_stream or TlsStream (http/tls.h); connection_io.cpp instantiates both.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <optional>

#include "http/messages.h"

namespace image_resize::http {

// The response for a failed read, or nullopt when there is nobody to answer (the client
// closed, the connection timed out, or it was reset). `reading_body` tells a body over its
// limit (413) from headers over theirs (431).
std::optional<Response> read_error_response(const boost::beast::error_code& error,
                                            bool reading_body);

template <class Stream>
boost::asio::awaitable<void> write_continue(Stream& stream, unsigned version,
                                            std::chrono::milliseconds timeout);

// Sends the response with Connection: close, then shuts down sending and discards what the
// client still sends (for a bounded time and size) before closing, so that the client reads the
// response rather than a connection reset.
template <class Stream>
boost::asio::awaitable<void> write_and_close(Stream& stream, Response response,
                                             std::chrono::milliseconds timeout);

// Ends the sending side: over TLS a close_notify first, then waiting at most `timeout` for the
// client's (OpenSSL drops what the client still sends meanwhile); then the TCP FIN.
template <class Stream>
boost::asio::awaitable<void> shutdown_send(Stream& stream, std::chrono::milliseconds timeout);

}  // namespace image_resize::http
