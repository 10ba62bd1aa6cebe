#pragma once
// One connection to Redis (a hiredis redisContext), with the connect and command timeouts of
// RedisConfig. It connects on first use, AUTHs and SELECTs, and after any I/O error or timeout
// it closes itself, so that the next call connects anew: an object outlives Redis restarts. A
// connection that Redis closed while it was idle is noticed before the next command is sent,
// so a restart between two commands costs no failed call.
// Commands are passed as argv (each argument length-prefixed), so any bytes are safe in them.
// Thread safety: none; one thread at a time (RedisClient pools them).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "tasks/redis/redis_config.h"
#include "tasks/redis/redis_reply.h"

struct redisContext;

namespace image_resize::tasks {

class RedisConnection {
 public:
  explicit RedisConnection(const RedisConfig& config);
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;
  ~RedisConnection();

  // Runs one command and returns its reply. Failures:
  // - cannot connect, I/O error, timeout, or Redis says it cannot serve now (LOADING, BUSY, ...):
  //   ErrorCode::backend_unavailable (the connection is closed; the next call reconnects);
  // - any other error reply: ErrorCode::internal, with the command name and Redis' message.
  // `extra_wait` lengthens the read timeout for commands that block in Redis (XREAD BLOCK).
  core::Result<RedisReply> command(const std::vector<std::string>& args,
                                   std::chrono::milliseconds extra_wait = {});

  // For pub/sub: writes a command without reading its reply (connecting first if needed).
  core::Status send(const std::vector<std::string>& args);
  // For pub/sub: the next reply that arrives within `wait`, nullopt when none did.
  core::Result<std::optional<RedisReply>> receive(std::chrono::milliseconds wait);

  bool connected() const { return context_ != nullptr; }
  void close();

 private:
  core::Status connect();
  // Closes the connection and describes the failure as backend_unavailable.
  core::Error fail(const std::string& what);
  core::Status set_read_timeout(std::chrono::milliseconds timeout);
  // True when the idle socket was closed by Redis: reconnect before sending, rather than fail.
  bool peer_closed() const;

  // Constant after construction.
  const RedisUrl url_;
  const std::chrono::milliseconds connect_timeout_;
  const std::chrono::milliseconds command_timeout_;

  redisContext* context_ = nullptr;
};

}  // namespace image_resize::tasks
