#pragma once
// The framing on an imaging helper's socket: each message is a small JSON header and a byte
// payload (the image), sent as two lengths and the two parts. Requests and replies alternate on
// one connection, so no message ids are needed.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/unique_fd.h"

namespace image_resize::isolation {

struct Message {
  nlohmann::json header;
  std::string payload;
  core::UniqueFd fd;  // a file sent along (SCM_RIGHTS), if any: an input passed by descriptor
};

// Writes the whole message. With `pass_fd` >= 0 that descriptor goes along and the peer gets its
// own copy of it, so a file crosses without its bytes. An error means the peer is gone (or the
// socket broke).
core::Status write_message(int fd, const nlohmann::json& header, std::string_view payload,
                           int pass_fd = -1);

enum class ReadEnd {
  closed,     // the peer closed the connection (or died) before a whole message came
  timed_out,  // the deadline passed first
  malformed,  // the bytes are not a message
};

// Reads one whole message, waiting no later than `deadline` (none: no limit).
core::Result<Message> read_message(int fd,
                                   std::optional<std::chrono::steady_clock::time_point> deadline,
                                   ReadEnd* end);

}  // namespace image_resize::isolation
