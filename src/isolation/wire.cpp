#include "isolation/wire.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace image_resize::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// Room for the ancillary data of one descriptor: more than CMSG_SPACE(sizeof(int)), 24 bytes
// on Linux (the macro casts C-style, so it is not used out here).
constexpr std::size_t kFdControlBytes = 64;

// A header is a few hundred bytes; anything near this is not ours.
constexpr std::uint64_t kMaxHeaderBytes = 1 << 20;
// Twice the largest upload we accept is far beyond any input or result.
constexpr std::uint64_t kMaxPayloadBytes = 8ULL << 30;

void put_u64(char* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(const char* in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return value;
}

core::Status send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a dead peer is an error here, not a SIGPIPE for the whole process.
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return core::Error::make(core::ErrorCode::internal, "Internal error",
                               std::string("send to an imaging process: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return {};
}

// Sends `bytes` with `pass_fd` attached to the first of them, then the rest.
core::Status send_with_fd(int fd, std::string_view bytes, int pass_fd) {
  iovec part{const_cast<char*>(bytes.data()), bytes.size()};
  alignas(cmsghdr) std::array<char, kFdControlBytes> control{};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  // The CMSG_ macros are the documented way to lay out ancillary data; they cast C-style.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  // Exactly one descriptor's worth: the kernel rejects trailing zeroed space (EINVAL).
  message.msg_controllen = CMSG_SPACE(sizeof(int));
  cmsghdr* rights = CMSG_FIRSTHDR(&message);
  rights->cmsg_level = SOL_SOCKET;
  rights->cmsg_type = SCM_RIGHTS;
  rights->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(rights), &pass_fd, sizeof(int));
#pragma GCC diagnostic pop
  ssize_t sent = -1;
  do {
    sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             std::string("send to an imaging process: ") + std::strerror(errno));
  }
  return send_all(fd, bytes.substr(static_cast<std::size_t>(sent)));
}

// recv, or recvmsg keeping a descriptor that comes along in *received.
ssize_t receive_some(int fd, char* out, std::size_t size, core::UniqueFd* received) {
  if (received == nullptr) return ::recv(fd, out, size, 0);
  iovec part{out, size};
  alignas(cmsghdr) std::array<char, kFdControlBytes> control{};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  const ssize_t got = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
  if (got <= 0) return got;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
        c->cmsg_len == CMSG_LEN(sizeof(int))) {
      int passed = -1;
      std::memcpy(&passed, CMSG_DATA(c), sizeof(int));
      *received = core::UniqueFd(passed);  // a second one replaces (and closes) the first
    }
  }
#pragma GCC diagnostic pop
  return got;
}

core::Error read_error(ReadEnd* end, ReadEnd what, std::string detail) {
  if (end) *end = what;
  return core::Error::make(core::ErrorCode::internal, "Internal error", std::move(detail));
}

// Fills `out` completely; false with *end set when it cannot. A descriptor sent with these bytes
// goes to *received (when not null).
bool receive_exact(int fd, char* out, std::size_t size, std::optional<Clock::time_point> deadline,
                   ReadEnd* end, core::UniqueFd* received = nullptr) {
  while (size > 0) {
    int wait_ms = -1;
    if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) {
        *end = ReadEnd::timed_out;
        return false;
      }
      wait_ms = static_cast<int>(std::min<std::int64_t>(left.count(), 60'000));
    }
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    const int polled = ::poll(&ready, 1, wait_ms);
    if (polled < 0 && errno != EINTR) {
      *end = ReadEnd::closed;
      return false;
    }
    if (polled <= 0) continue;
    const ssize_t got = receive_some(fd, out, size, received);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
      *end = ReadEnd::closed;
      return false;
    }
    if (got < 0) continue;
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

core::Status write_message(int fd, const nlohmann::json& header, std::string_view payload,
                           int pass_fd) {
  // Library messages in errors may be any bytes: never throw on invalid UTF-8.
  const std::string header_text =
      header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::array<char, 16> lengths{};
  put_u64(lengths.data(), header_text.size());
  put_u64(lengths.data() + 8, payload.size());
  const std::string_view length_bytes(lengths.data(), lengths.size());
  if (auto s = pass_fd >= 0 ? send_with_fd(fd, length_bytes, pass_fd) : send_all(fd, length_bytes);
      !s.ok()) {
    return s;
  }
  if (auto s = send_all(fd, header_text); !s.ok()) return s;
  return send_all(fd, payload);
}

core::Result<Message> read_message(int fd, std::optional<Clock::time_point> deadline,
                                   ReadEnd* end) {
  ReadEnd ignored{};
  if (!end) end = &ignored;
  std::array<char, 16> lengths{};
  core::UniqueFd passed;  // comes with the first bytes of a message, if at all
  if (!receive_exact(fd, lengths.data(), lengths.size(), deadline, end, &passed)) {
    return read_error(end, *end, "no message from the imaging process");
  }
  const std::uint64_t header_size = get_u64(lengths.data());
  const std::uint64_t payload_size = get_u64(lengths.data() + 8);
  if (header_size > kMaxHeaderBytes || payload_size > kMaxPayloadBytes) {
    return read_error(end, ReadEnd::malformed, "an imaging process message has bad lengths");
  }
  std::string header_text(header_size, '\0');
  Message message;
  message.payload.resize(payload_size);
  if (!receive_exact(fd, header_text.data(), header_text.size(), deadline, end) ||
      !receive_exact(fd, message.payload.data(), message.payload.size(), deadline, end)) {
    return read_error(end, *end, "an imaging process message was cut short");
  }
  message.fd = std::move(passed);
  message.header = nlohmann::json::parse(header_text, nullptr, /*allow_exceptions=*/false);
  if (message.header.is_discarded()) {
    return read_error(end, ReadEnd::malformed, "an imaging process message header is not JSON");
  }
  return message;
}

}  // namespace image_resize::isolation
