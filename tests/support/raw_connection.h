#pragma once
// A raw loopback TCP connection for tests that must control every byte (slow-loris, split
// writes, pipelining, half-close): it sends only what it is told to. Closed on destruction.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace image_resize::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port at once; connected() says whether it worked.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  // Each write goes out on its own (TCP_NODELAY).
  void set_no_delay();
  // Writes all of `bytes`; false when the connection refused them (the server closed it).
  bool send(std::string_view bytes);
  // True when the server has closed the connection (end of stream or reset) within `wait`;
  // anything it sent before is read and dropped.
  bool closed_by_server(std::chrono::milliseconds wait);

 private:
  int fd_;
  bool connected_ = false;
};

}  // namespace image_resize::testing
