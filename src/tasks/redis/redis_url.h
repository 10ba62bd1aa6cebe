#pragma once
// Where the Redis server is, as the `--redis` flag gives it:
//   redis://[[username]:password@]host[:port][/db]
// Port 6379 and database 0 by default. User and password may be percent-encoded (a password
// with '@', ':' or '/' must be). TLS (rediss://), Unix sockets and query options are refused
// rather than silently ignored.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::tasks {

struct RedisUrl {
  std::string host = "127.0.0.1";  // a name, an IPv4 address, or an IPv6 address without []
  std::uint16_t port = 6379;
  int database = 0;        // SELECTed on every connection when not 0
  std::string username{};  // Redis 6 ACL user; empty: AUTH with the password alone
  std::string password{};  // empty: no AUTH

  // ErrorCode::internal with a message naming the problem (never the password) when `text` is
  // not a URL of the form above.
  static core::Result<RedisUrl> parse(std::string_view text);

  // The URL with the password replaced by "***", for logs and error messages.
  std::string redacted() const;

  bool operator==(const RedisUrl&) const = default;
};

}  // namespace image_resize::tasks
