#include "http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace image_resize::http {

namespace ssl = boost::asio::ssl;

namespace {

core::Error tls_error(std::string message) {
  return core::Error::make(core::ErrorCode::internal, std::move(message));
}

// OpenSSL's own message for a missing file is a bare "system lib": say which file and why.
core::Status check_readable(std::string_view flag, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    std::string message = "cannot read ";
    message.append(flag).append(" ").append(path).append(": ").append(std::strerror(errno));
    return tls_error(std::move(message));
  }
  std::fclose(file);
  return {};
}

std::string failure(std::string_view flag, const std::string& path, std::string_view what,
                    const boost::system::error_code& error) {
  std::string message(flag);
  message.append(" ").append(path).append(": ").append(what).append(": ").append(error.message());
  return message;
}

}  // namespace

core::Result<std::unique_ptr<ssl::context>> make_tls_context(const HttpConfig& config) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // Client-initiated renegotiation costs the server a handshake for each request of it.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  // An idle keep-alive connection gives its read and write buffers (~34 KiB) back.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // An encrypted key would make OpenSSL prompt on the terminal; with no passphrase it fails.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  if (auto readable = check_readable("--tls-cert", config.tls_cert_file); !readable.ok()) {
    return readable.error();
  }
  if (auto readable = check_readable("--tls-key", config.tls_key_file); !readable.ok()) {
    return readable.error();
  }
  boost::system::error_code error;
  context->use_certificate_chain_file(config.tls_cert_file, error);
  if (error) {
    return tls_error(
        failure("--tls-cert", config.tls_cert_file, "not a PEM certificate chain", error));
  }
  context->use_private_key_file(config.tls_key_file, ssl::context::pem, error);
  if (!error && SSL_CTX_check_private_key(native) != 1) {
    error = boost::system::error_code(static_cast<int>(ERR_get_error()),
                                      boost::asio::error::get_ssl_category());
  }
  if (error) {
    return tls_error(failure("--tls-key", config.tls_key_file,
                             "not an unencrypted PEM private key that matches --tls-cert", error));
  }
  return context;
}

std::string handshake_failure_kind(const boost::system::error_code& error) {
  if (error == boost::beast::error::timeout) return "timeout";
  if (error == boost::asio::error::eof || error == boost::asio::error::connection_reset ||
      error == ssl::error::stream_truncated || error == boost::asio::error::operation_aborted) {
    return "closed";
  }
  if (error.category() == boost::asio::error::get_ssl_category() &&
      (ERR_GET_REASON(static_cast<unsigned long>(error.value())) == SSL_R_HTTP_REQUEST ||
       ERR_GET_REASON(static_cast<unsigned long>(error.value())) == SSL_R_HTTPS_PROXY_REQUEST)) {
    return "plain_http";
  }
  return "protocol";
}

}  // namespace image_resize::http
