#include "tasks/redis/redis_connection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include <array>
#include <cerrno>
#include <string_view>

namespace image_resize::tasks {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  return timeval{.tv_sec = static_cast<time_t>(ms / 1000),
                 .tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000)};
}

RedisReply convert(const redisReply& raw) {
  RedisReply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.kind = RedisReply::Kind::string;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.kind = RedisReply::Kind::status;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.kind = RedisReply::Kind::error;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.kind = RedisReply::Kind::integer;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.kind = RedisReply::Kind::array;
      reply.elements.reserve(raw.elements);
      for (std::size_t i = 0; i < raw.elements; ++i)
        reply.elements.push_back(convert(*raw.element[i]));
      break;
    default: reply.kind = RedisReply::Kind::nil; break;
  }
  return reply;
}

// Takes ownership of a reply that hiredis allocated.
RedisReply take(void* raw) {
  auto* reply = static_cast<redisReply*>(raw);
  RedisReply converted = convert(*reply);
  freeReplyObject(reply);
  return converted;
}

// Error replies that mean "Redis cannot serve this now" rather than "this command is wrong".
bool is_unavailable_reply(std::string_view message) {
  constexpr std::array<std::string_view, 7> kTransient = {
      "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "READONLY", "NOAUTH", "WRONGPASS"};
  for (std::string_view prefix : kTransient) {
    if (message.starts_with(prefix)) return true;
  }
  return false;
}

core::Error unavailable(std::string internal_message) {
  return core::Error::make(core::ErrorCode::backend_unavailable, "Task store unavailable",
                           std::move(internal_message));
}

}  // namespace

RedisConnection::RedisConnection(const RedisConfig& config)
    : url_(config.url),
      connect_timeout_(config.connect_timeout),
      command_timeout_(config.command_timeout) {}

RedisConnection::~RedisConnection() { close(); }

void RedisConnection::close() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

core::Error RedisConnection::fail(const std::string& what) {
  std::string detail = context_ != nullptr && context_->err != 0 ? context_->errstr : "";
  if (detail.empty()) detail = "connection lost";
  close();
  return unavailable("redis " + url_.redacted() + ": " + what + ": " + detail);
}

core::Status RedisConnection::set_read_timeout(std::chrono::milliseconds timeout) {
  if (redisSetTimeout(context_, to_timeval(timeout)) != REDIS_OK) return fail("set timeout");
  return {};
}

core::Status RedisConnection::connect() {
  close();
  redisContext* context =
      redisConnectWithTimeout(url_.host.c_str(), url_.port, to_timeval(connect_timeout_));
  if (context == nullptr) return unavailable("redis: cannot allocate a connection");
  context_ = context;
  if (context->err != 0) return fail("connect");
  if (auto timeout = set_read_timeout(command_timeout_); !timeout.ok()) return timeout;
  redisEnableKeepAlive(context_);  // notice a peer that vanished without closing

  std::vector<std::vector<std::string>> handshake;
  if (!url_.password.empty()) {
    handshake.push_back(url_.username.empty()
                            ? std::vector<std::string>{"AUTH", url_.password}
                            : std::vector<std::string>{"AUTH", url_.username, url_.password});
  }
  if (url_.database != 0) handshake.push_back({"SELECT", std::to_string(url_.database)});
  for (const auto& args : handshake) {
    auto reply = command(args);
    if (!reply.ok()) {
      close();
      return unavailable("redis " + url_.redacted() + ": " + args[0] +
                         " failed: " + reply.error().log_message());
    }
  }
  return {};
}

bool RedisConnection::peer_closed() const {
  // Between commands nothing may arrive; a readable socket means Redis closed it (restart,
  // idle timeout) or broke the protocol. Either way the connection is of no further use.
  pollfd readable{.fd = context_->fd, .events = POLLIN, .revents = 0};
  return ::poll(&readable, 1, 0) != 0;
}

core::Result<RedisReply> RedisConnection::command(const std::vector<std::string>& args,
                                                  std::chrono::milliseconds extra_wait) {
  if (context_ != nullptr && peer_closed()) close();
  if (context_ == nullptr) {
    if (auto connected = connect(); !connected.ok()) return connected.error();
  }
  const bool extended = extra_wait.count() > 0;
  if (extended) {
    if (auto timeout = set_read_timeout(command_timeout_ + extra_wait); !timeout.ok()) {
      return timeout.error();
    }
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  void* raw =
      redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (raw == nullptr) return fail(args.empty() ? "command" : args[0]);
  RedisReply reply = take(raw);
  if (extended) {
    if (auto timeout = set_read_timeout(command_timeout_); !timeout.ok()) return timeout.error();
  }
  if (reply.kind != RedisReply::Kind::error) return reply;
  const std::string message = "redis " + (args.empty() ? "" : args[0]) + ": " + reply.text;
  if (is_unavailable_reply(reply.text)) return unavailable(message);
  return core::Error::make(core::ErrorCode::internal, "Internal error", message);
}

core::Status RedisConnection::send(const std::vector<std::string>& args) {
  if (context_ == nullptr) {
    if (auto connected = connect(); !connected.ok()) return connected;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    return fail("send");
  }
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) return fail("send");
  }
  return {};
}

core::Result<std::optional<RedisReply>> RedisConnection::receive(std::chrono::milliseconds wait) {
  if (context_ == nullptr) return unavailable("redis " + url_.redacted() + ": not connected");
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return fail("read");
  if (raw == nullptr) {
    pollfd readable{.fd = context_->fd, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) return fail("poll");
    if (ready <= 0) return std::optional<RedisReply>();
    if (redisBufferRead(context_) != REDIS_OK) return fail("read");
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return fail("read");
    if (raw == nullptr) return std::optional<RedisReply>();  // only part of a reply so far
  }
  return std::optional<RedisReply>(take(raw));
}

}  // namespace image_resize::tasks
