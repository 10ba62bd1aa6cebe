#pragma once
// Native TLS (--tls-cert, --tls-key): the OpenSSL context every connection of a server shares,
// and the stream type of a TLS connection. The certificate chain and key are loaded, and checked
// against each other, once at start, so a bad file stops the process instead of every handshake.

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/http_config.h"

namespace image_resize::http {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// TLS 1.2 or later, OpenSSL's default ciphers for that, no compression, no renegotiation, no
// client certificates. An error names the flag and file at fault and OpenSSL's reason.
core::Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const HttpConfig& config);

// Why a server-side handshake failed, as a short metric label: "timeout", "closed",
// "plain_http" (an HTTP request came to the TLS port) or "protocol" (anything else).
std::string handshake_failure_kind(const boost::system::error_code& error);

}  // namespace image_resize::http
