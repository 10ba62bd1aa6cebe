#pragma once
// Small pieces of a connection's life that are not request handling: turning a read error into
// the response it deserves, "100 Continue", and closing after an early answer without
// resetting the connection under the client.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <optional>

#include "http/messages.h"

namespace image_resize::http {

// The response for a failed read, or nullopt when there is nobody to answer (the client
// closed, the connection timed out, or it was reset). `reading_body` tells a body over its
// limit (413) from headers over theirs (431).
std::optional<Response> read_error_response(const boost::beast::error_code& error,
                                            bool reading_body);

boost::asio::awaitable<void> write_continue(boost::beast::tcp_stream& stream, unsigned version,
                                            std::chrono::milliseconds timeout);

// Sends the response with Connection: close, then shuts down sending and discards what the
// client still sends (for a bounded time and size) before closing, so that the client reads the
// response rather than a connection reset.
boost::asio::awaitable<void> write_and_close(boost::beast::tcp_stream& stream, Response response,
                                             std::chrono::milliseconds timeout);

}  // namespace image_resize::http
