#include "support/http_client.h"

// Boost 1.81's boost/core/detail/string_view.hpp uses std::ostream without including it.
#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <ostream>

namespace image_resize::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kMaxResponseBody = 512ULL * 1024 * 1024;
constexpr std::size_t kReadBufferBytes = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string describe(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return "timeout";
  return ec.message();
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

nlohmann::json HttpResponse::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::ostream& operator<<(std::ostream& out, const HttpResponse& response) {
  if (response.status == 0) return out << "no response (" << response.error << ")";
  out << "HTTP " << response.status << "\n";
  for (const auto& [key, value] : response.headers) out << key << ": " << value << "\n";
  constexpr std::size_t kShown = 600;
  const bool text = std::all_of(response.body.begin(), response.body.end(), [](char c) {
    return c == '\n' || c == '\r' || c == '\t' || std::isprint(static_cast<unsigned char>(c));
  });
  if (!text) return out << "<" << response.body.size() << " bytes of binary body>";
  out << response.body.substr(0, kShown);
  if (response.body.size() > kShown) out << "... (" << response.body.size() << " bytes)";
  return out;
}

MultipartBody::MultipartBody(std::string boundary) : boundary_(std::move(boundary)) {}

MultipartBody& MultipartBody::field(std::string_view name, std::string_view value) {
  parts_ += "--" + boundary_ + "\r\n";
  parts_ += "Content-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n";
  parts_ += std::string(value) + "\r\n";
  return *this;
}

MultipartBody& MultipartBody::file(std::string_view name, std::string_view filename,
                                   std::string_view content_type, std::string_view bytes) {
  parts_ += "--" + boundary_ + "\r\n";
  parts_ += "Content-Disposition: form-data; name=\"" + std::string(name) + "\"; filename=\"" +
            std::string(filename) + "\"\r\n";
  parts_ += "Content-Type: " + std::string(content_type) + "\r\n\r\n";
  parts_ += std::string(bytes) + "\r\n";
  return *this;
}

std::string MultipartBody::content_type() const {
  return "multipart/form-data; boundary=" + boundary_;
}

std::string MultipartBody::body() const { return parts_ + "--" + boundary_ + "--\r\n"; }

// One connection, plain or TLS, and the io_context that drives it; each blocking call runs
// async operations under the TCP stream's deadline, which is what gives sync calls a timeout.
struct HttpClient::Connection {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  std::optional<TlsClientOptions> tls_options;
  std::unique_ptr<ssl::context> tls;  // made from tls_options on the first connect
  asio::io_context ioc;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  int opened = 0;

  bool is_open() const { return plain.has_value() || secure.has_value(); }
  beast::tcp_stream& transport() { return secure ? secure->next_layer() : *plain; }
  // Calls `f` with the stream HTTP goes over.
  template <class F>
  auto with_stream(F f) {
    return secure ? f(*secure) : f(*plain);
  }

  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  beast::error_code connect() {
    drop();
    plain.emplace(ioc);
    plain->expires_after(timeout);
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    auto ec = run([&](auto handler) { plain->async_connect(endpoint, std::move(handler)); });
    if (!ec) ++opened;
    if (ec || !tls_options) return ec;
    if (auto setup = make_tls_context()) return setup;
    secure.emplace(std::move(*plain), *tls);
    plain.reset();
    secure->next_layer().expires_after(timeout);
    const std::string& name = tls_options->server_name;
    beast::error_code not_ip;
    asio::ip::make_address(name, not_ip);
    // SSL_set_tlsext_host_name() spelled out: the macro's C cast fails -Wold-style-cast.
    if (not_ip) {
      SSL_ctrl(secure->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(name.c_str()));
    }
    secure->set_verify_callback(ssl::host_name_verification(name));
    return run([&](auto handler) {
      secure->async_handshake(ssl::stream_base::client, std::move(handler));
    });
  }

  beast::error_code make_tls_context() {
    if (tls) return {};
    auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
    beast::error_code ec;
    context->load_verify_file(tls_options->ca_file.string(), ec);
    context->set_verify_mode(ssl::verify_peer);
    if (!ec) tls = std::move(context);
    return ec;
  }

  void drop() {
    if (is_open()) {
      beast::error_code ignored;
      transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
      transport().close();
    }
    secure.reset();
    plain.reset();
    buffer.clear();
  }

  // Sends `request` (again on a new connection if a kept-alive one was closed), reads the answer.
  template <class Body>
  HttpResponse exchange(bhttp::request<Body>& request);

  // Reads one response into `out`; false on a transport error (out.error set).
  bool read_response(bool is_head, HttpResponse& out, bool& got_bytes, bool& keep_alive) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    // Beast reads at most the buffer's free space: left small, a result comes in 512-byte reads.
    if (buffer.capacity() < kReadBufferBytes) buffer.reserve(kReadBufferBytes);
    parser.skip(is_head);
    const auto ec = run([&](auto handler) {
      with_stream(
          [&](auto& stream) { bhttp::async_read(stream, buffer, parser, std::move(handler)); });
    });
    got_bytes = parser.got_some();
    if (ec) {
      out.error = describe(ec);
      return false;
    }
    auto& message = parser.get();
    out.status = message.result_int();
    for (const auto& field : message) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(message.body());
    keep_alive = message.keep_alive();
    return true;
  }
};

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout, std::string host,
                       std::optional<TlsClientOptions> tls)
    : connection_(std::make_unique<Connection>()) {
  connection_->host = std::move(host);
  connection_->port = port;
  connection_->timeout = timeout;
  connection_->tls_options = std::move(tls);
}

HttpClient::HttpClient(std::uint16_t port, TlsClientOptions tls, std::chrono::milliseconds timeout)
    : HttpClient(port, timeout, "127.0.0.1", std::move(tls)) {}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() { connection_->drop(); }

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { connection_->timeout = timeout; }

int HttpClient::connections_opened() const { return connection_->opened; }

namespace {

// Method, target, version, `headers`, and Host unless given; true when `headers` set
// Content-Length.
template <class Body>
bool fill_head(bhttp::request<Body>& request, std::string_view method, std::string_view target,
               const HeaderList& headers, const std::string& default_host) {
  const bhttp::verb verb = bhttp::string_to_verb(method);
  if (verb == bhttp::verb::unknown) {
    request.method_string(method);
  } else {
    request.method(verb);
  }
  request.target(target);
  request.version(11);
  bool has_length = false;
  bool has_host = false;
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
    has_length = has_length || iequals(name, "Content-Length");
    has_host = has_host || iequals(name, "Host");
  }
  if (!has_host) request.set(bhttp::field::host, default_host);
  return has_length;
}

}  // namespace

template <class Body>
HttpResponse HttpClient::Connection::exchange(bhttp::request<Body>& request) {
  Connection& c = *this;
  const bool is_head = request.method() == bhttp::verb::head;
  const auto started = Clock::now();
  HttpResponse response;
  // A kept-alive connection the server has closed meanwhile fails before any response byte:
  // then, and only then, the request is sent again on a new connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = c.is_open();
    response = HttpResponse{};
    if (!reused) {
      if (auto ec = c.connect()) {
        response.error = "connect: " + describe(ec);
        break;
      }
    }
    c.transport().expires_after(c.timeout);
    const auto write_ec = c.run([&](auto handler) {
      c.with_stream([&](auto& stream) { bhttp::async_write(stream, request, std::move(handler)); });
    });
    bool got_bytes = false;
    bool keep_alive = false;
    if (write_ec) {
      response.error = "write: " + describe(write_ec);
    } else if (c.read_response(is_head, response, got_bytes, keep_alive)) {
      if (!keep_alive) c.drop();
      break;
    }
    c.drop();
    if (!reused || got_bytes || write_ec == beast::error::timeout) break;
  }
  response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return response;
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 const HeaderList& headers, std::string body) {
  bhttp::request<bhttp::string_body> request;
  const std::string host = connection_->host + ":" + std::to_string(connection_->port);
  const bool has_length = fill_head(request, method, target, headers, host);
  request.body() = std::move(body);
  if (!has_length) request.prepare_payload();
  return connection_->exchange(request);
}

HttpResponse HttpClient::get(std::string_view target, const HeaderList& headers) {
  return request("GET", target, headers);
}

HttpResponse HttpClient::head(std::string_view target, const HeaderList& headers) {
  return request("HEAD", target, headers);
}

HttpResponse HttpClient::del(std::string_view target) { return request("DELETE", target); }

HttpResponse HttpClient::post(std::string_view target, std::string_view content_type,
                              std::string_view body) {
  // A span body: the bytes are sent from where they are, not copied (uploads are megabytes,
  // and the benchmark's client shares the cores with the server it measures).
  bhttp::request<bhttp::span_body<const char>> request;
  const std::string host = connection_->host + ":" + std::to_string(connection_->port);
  fill_head(request, "POST", target, {{"Content-Type", std::string(content_type)}}, host);
  request.body() = bhttp::span_body<const char>::value_type(body.data(), body.size());
  request.prepare_payload();
  return connection_->exchange(request);
}

HttpResponse HttpClient::post_multipart(std::string_view target, const MultipartBody& form) {
  return post(target, form.content_type(), form.body());
}

HttpResponse HttpClient::send_raw(std::string_view bytes) { return send_raw(bytes, 1).front(); }

std::vector<HttpResponse> HttpClient::send_raw(std::string_view bytes, std::size_t count) {
  Connection& c = *connection_;
  const auto started = Clock::now();
  std::vector<HttpResponse> responses;
  const auto stamp = [&](HttpResponse& response) {
    response.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  };
  if (auto ec = c.connect()) {
    responses.emplace_back().error = "connect: " + describe(ec);
    return responses;
  }
  c.transport().expires_after(c.timeout);
  const auto write_ec = c.run([&](auto handler) {
    c.with_stream([&](auto& stream) {
      asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
    });
  });
  if (write_ec) {
    responses.emplace_back().error = "write: " + describe(write_ec);
    stamp(responses.back());
  }
  while (!write_ec && responses.size() < count) {
    HttpResponse& response = responses.emplace_back();
    bool got_bytes = false;
    bool keep_alive = false;
    const bool ok = c.read_response(/*is_head=*/false, response, got_bytes, keep_alive);
    stamp(response);
    if (!ok) break;
  }
  c.drop();
  return responses;
}

}  // namespace image_resize::testing
