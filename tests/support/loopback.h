#pragma once
// Loopback addresses for the servers tests start (redis-server, nginx): every test's traffic
// stays on 127.0.0.1.

#include <netinet/in.h>

#include <cstdint>

namespace image_resize::testing {

// 127.0.0.1:port.
sockaddr_in loopback(std::uint16_t port);
// A port that was free on 127.0.0.1 a moment ago (the kernel's pick for port 0); 0 on failure.
std::uint16_t free_loopback_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool accepts_connections(std::uint16_t port);

}  // namespace image_resize::testing
