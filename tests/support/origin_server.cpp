#include "support/origin_server.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace image_resize::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kBodyLimit = 64 * 1024 * 1024;
constexpr std::size_t kEndlessPiece = 64 * 1024;

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct AbsoluteTarget {
  std::string host;  // without brackets
  std::uint16_t port = 80;
  std::string origin_form;  // "/p?q"
};

// "http://host:port/p?q" → its parts; nullopt for an origin-form target.
std::optional<AbsoluteTarget> absolute_target(std::string_view target) {
  if (!target.starts_with("http://")) return std::nullopt;
  target.remove_prefix(7);
  const auto slash = target.find('/');
  std::string_view authority = target.substr(0, slash);
  AbsoluteTarget parsed{
      .origin_form = slash == std::string_view::npos ? "/" : std::string(target.substr(slash))};
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    parsed.port = static_cast<std::uint16_t>(std::stoi(std::string(authority.substr(colon + 1))));
    authority = authority.substr(0, colon);
  }
  if (authority.starts_with('[') && authority.ends_with(']')) {
    authority = authority.substr(1, authority.size() - 2);
  }
  parsed.host = authority;
  return parsed;
}

std::string path_of(std::string_view target) {
  if (const auto absolute = absolute_target(target)) target = absolute->origin_form;
  return std::string(target.substr(0, target.find('?')));
}

}  // namespace

std::string OriginRequest::header(const std::string& lowercase_name) const {
  const auto found = headers.find(lowercase_name);
  return found == headers.end() ? std::string() : found->second;
}

OriginReply OriginReply::ok(std::string body, std::string content_type) {
  return with_status(200, std::move(body)).with_header("Content-Type", std::move(content_type));
}

OriginReply OriginReply::with_status(int status, std::string body) {
  OriginReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

OriginReply OriginReply::redirect(int status, std::string location) {
  return with_status(status).with_header("Location", std::move(location));
}

OriginReply OriginReply::trickled(std::string body, std::size_t bytes,
                                  std::chrono::milliseconds every) {
  OriginReply reply = with_status(200, std::move(body));
  reply.trickle_bytes = bytes;
  reply.trickle_every = every;
  return reply;
}

OriginReply OriginReply::endless_body() {
  OriginReply reply;
  reply.endless = true;
  return reply;
}

OriginReply OriginReply::hanging() {
  OriginReply reply;
  reply.hang = true;
  return reply;
}

OriginReply OriginReply::after(std::chrono::milliseconds wait) const {
  OriginReply reply = *this;
  reply.delay = wait;
  return reply;
}

OriginReply OriginReply::with_header(std::string name, std::string value) const {
  OriginReply reply = *this;
  reply.headers.emplace_back(std::move(name), std::move(value));
  return reply;
}

struct OriginServer::State {
  struct Script {
    std::vector<OriginReply> replies;
    std::size_t next = 0;
  };

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::map<std::string, Script, std::less<>> scripts;  // guarded by mutex
  std::vector<OriginRequest> requests;                 // guarded by mutex

  OriginReply next_reply(const std::string& path) {
    std::lock_guard lock(mutex);
    const auto found = scripts.find(path);
    if (found == scripts.end() || found->second.replies.empty()) {
      return OriginReply::with_status(404, "no reply scripted for " + path);
    }
    Script& script = found->second;
    const OriginReply& reply = script.replies[std::min(script.next, script.replies.size() - 1)];
    ++script.next;
    return reply;
  }

  void record(OriginRequest request) {
    {
      std::lock_guard lock(mutex);
      requests.push_back(std::move(request));
    }
    arrived.notify_all();
  }
};

namespace {

using State = OriginServer::State;
using Request = http::request<http::string_body>;

OriginRequest recorded(const Request& request) {
  OriginRequest out{.method = std::string(request.method_string()),
                    .target = std::string(request.target()),
                    .path = path_of(request.target()),
                    .body = request.body(),
                    .via_proxy = absolute_target(request.target()).has_value(),
                    .received_at = std::chrono::steady_clock::now()};
  for (const auto& field : request) {
    std::string& value = out.headers[lowercase(std::string(field.name_string()))];
    value += value.empty() ? std::string(field.value()) : ", " + std::string(field.value());
  }
  return out;
}

std::string head_of(const OriginReply& reply, bool close) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     std::string(http::obsolete_reason(static_cast<http::status>(reply.status))) +
                     "\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  if (!reply.endless) head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  if (close) head += "Connection: close\r\n";
  return head + "\r\n";
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  co_await timer.async_wait(kTuple);
}

// Sends `reply`; true when the connection stays open for another request.
asio::awaitable<bool> answer(tcp::socket& socket, const OriginReply& reply, bool keep_alive) {
  if (reply.hang) {
    co_await sleep_for(std::chrono::hours(24));  // ended by stop()
    co_return false;
  }
  if (reply.delay.count() > 0) co_await sleep_for(reply.delay);
  const bool close = reply.close || reply.endless || !keep_alive;
  const bool trickle = reply.trickle_bytes > 0;
  // Named locals, not temporaries, in co_await expressions: g++ 12 destroys some twice.
  const std::string first = trickle ? head_of(reply, close) : head_of(reply, close) + reply.body;
  auto [error, sent] = co_await asio::async_write(socket, asio::buffer(first), kTuple);
  for (std::size_t at = 0; trickle && !error && at < reply.body.size(); at += reply.trickle_bytes) {
    co_await sleep_for(reply.trickle_every);
    const std::string piece = reply.body.substr(at, reply.trickle_bytes);
    std::tie(error, sent) = co_await asio::async_write(socket, asio::buffer(piece), kTuple);
  }
  const std::string piece(kEndlessPiece, 'x');
  while (reply.endless && !error) {
    std::tie(error, sent) = co_await asio::async_write(socket, asio::buffer(piece), kTuple);
  }
  co_return !close && !error;
}

bool is_loopback(const std::string& host) {
  boost::system::error_code error;
  const auto address = asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

// The proxy's part: the request to its origin, the answer back; the connection then closes.
asio::awaitable<void> forward(tcp::socket& client, Request request) {
  const AbsoluteTarget target = *absolute_target(request.target());
  http::response<http::string_body> response{http::status::bad_gateway, 11};
  tcp::socket upstream(co_await asio::this_coro::executor);
  if (is_loopback(target.host)) {
    const tcp::endpoint origin(asio::ip::make_address(target.host), target.port);
    auto [connect_error] = co_await upstream.async_connect(origin, kTuple);
    request.target(target.origin_form);
    request.erase("Proxy-Connection");
    request.keep_alive(false);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    if (!connect_error) {
      auto [write_error, written] = co_await http::async_write(upstream, request, kTuple);
      auto [read_error, read] = co_await http::async_read(upstream, buffer, parser, kTuple);
      if (!write_error && !read_error) response = parser.release();
    }
  }
  response.keep_alive(false);
  response.prepare_payload();
  co_await http::async_write(client, response, kTuple);
}

asio::awaitable<void> serve(tcp::socket socket, std::shared_ptr<State> state) {
  boost::beast::flat_buffer buffer;
  for (bool open = true; open;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    auto [error, read] = co_await http::async_read(socket, buffer, parser, kTuple);
    if (error) break;
    Request request = parser.release();
    OriginRequest record = recorded(request);
    const bool via_proxy = record.via_proxy;
    const std::string path = record.path;
    state->record(std::move(record));
    if (via_proxy) {
      co_await forward(socket, std::move(request));
      break;
    }
    const OriginReply reply = state->next_reply(path);
    open = co_await answer(socket, reply, request.keep_alive());
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::shared_ptr<State> state) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(kTuple);
    if (error) co_return;
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), state), asio::detached);
  }
}

}  // namespace

struct OriginServer::Io {
  asio::io_context context;
  tcp::acceptor acceptor{context};
};

OriginServer::OriginServer(std::string address)
    : address_(std::move(address)), state_(std::make_shared<State>()), io_(std::make_unique<Io>()) {
  const tcp::endpoint endpoint(asio::ip::make_address(address_), 0);
  io_->acceptor.open(endpoint.protocol());
  io_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  io_->acceptor.bind(endpoint);
  io_->acceptor.listen();
  port_ = io_->acceptor.local_endpoint().port();
  asio::co_spawn(io_->context, accept_loop(io_->acceptor, state_), asio::detached);
  thread_ = std::thread([io = io_.get()] { io->context.run(); });
}

OriginServer::~OriginServer() { stop(); }

void OriginServer::stop() {
  if (!io_) return;
  io_->context.stop();
  if (thread_.joinable()) thread_.join();
  io_.reset();  // destroys the suspended connections, closing their sockets
}

void OriginServer::reply(std::string path, OriginReply reply) {
  reply_sequence(std::move(path), {std::move(reply)});
}

void OriginServer::reply_sequence(std::string path, std::vector<OriginReply> replies) {
  std::lock_guard lock(state_->mutex);
  state_->scripts[std::move(path)] = State::Script{.replies = std::move(replies)};
}

std::string OriginServer::authority() const {
  const bool v6 = address_.find(':') != std::string::npos;
  return (v6 ? "[" + address_ + "]" : address_) + ":" + std::to_string(port_);
}

std::string OriginServer::url(std::string_view path) const {
  return "http://" + authority() + std::string(path);
}

std::vector<OriginRequest> OriginServer::requests(std::string_view path) const {
  std::lock_guard lock(state_->mutex);
  std::vector<OriginRequest> found;
  for (const OriginRequest& request : state_->requests) {
    if (request.path == path) found.push_back(request);
  }
  return found;
}

std::vector<OriginRequest> OriginServer::all_requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t OriginServer::count(std::string_view path) const { return requests(path).size(); }

bool OriginServer::wait_for(std::string_view path, std::size_t n,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->arrived.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(
               state_->requests.begin(), state_->requests.end(),
               [&](const OriginRequest& request) { return request.path == path; })) >= n;
  });
}

}  // namespace image_resize::testing
