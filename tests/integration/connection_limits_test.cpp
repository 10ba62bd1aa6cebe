// Hostile clients at the connection level: slow-loris connections trickling their headers are
// cut at --header-timeout while normal requests go on; --max-connections closes a flood of idle
// sockets at once; --max-requests-per-connection ends a pipelining client's connection.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <thread>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

// A raw loopback TCP connection that sends only what it is told to; closed on destruction.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 &&
                 ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  void send(std::string_view bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // True when the server has closed the connection (end of stream or reset) within `wait`.
  bool closed_by_server(std::chrono::milliseconds wait) {
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return false;
    char buffer[4096];
    while (true) {
      const auto got = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (got == 0) return true;
      if (got < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

class SlowLoris : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--header-timeout", "2s"}); }
};

TEST_F(SlowLoris, TricklingConnectionsAreCutWhileOthersAreServed) {
  const std::uint16_t port = client_port();
  std::vector<std::unique_ptr<RawConnection>> loris;
  for (int i = 0; i < 300; ++i) {
    loris.push_back(std::make_unique<RawConnection>(port));
    ASSERT_TRUE(loris.back()->connected()) << i;
    loris.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  // One more header byte from each every 250 ms, for longer than the header timeout.
  std::atomic<bool> trickling = true;
  std::thread trickle([&] {
    for (int round = 0; round < 16 && trickling; ++round) {
      for (auto& connection : loris) connection->send("a");
      std::this_thread::sleep_for(250ms);
    }
  });
  client().set_timeout(5s);  // promptly, not whenever the slow ones give up
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(client().get("/healthz").status, 200) << i;
    EXPECT_EQ(client().get(std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d").status,
              404)
        << i;
  }
  trickle.join();
  int cut = 0;
  for (auto& connection : loris) cut += connection->closed_by_server(3s) ? 1 : 0;
  EXPECT_EQ(cut, 300) << "trickling connections outlived --header-timeout";
  EXPECT_TRUE(server_is_alive(port));
}

class ConnectionCap : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--max-connections", "40", "--max-requests-per-connection", "3"});
  }
};

TEST_F(ConnectionCap, AFloodOfIdleConnectionsIsCutAtTheCapAndServiceResumes) {
  const std::uint16_t port = client_port();
  client().close();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 40; ++i) idle.push_back(std::make_unique<RawConnection>(port));
  std::this_thread::sleep_for(300ms);  // accepted, each a session waiting for its headers
  RawConnection over(port);
  EXPECT_TRUE(over.closed_by_server(2s)) << "the 41st connection was kept";
  idle.clear();
  // The sessions notice their peers are gone and end; then connections are taken again.
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    HttpClient fresh(port, 1s);
    served = fresh.get("/healthz").status == 200;
    if (!served) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(served);
}

TEST_F(ConnectionCap, APipeliningClientIsClosedAfterTheRequestCap) {
  std::string pipeline;
  for (int i = 0; i < 5; ++i) pipeline += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<HttpResponse> answers = client().send_raw(pipeline, 5);
  ASSERT_GE(answers.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(answers[i].status, 200) << i;
  EXPECT_EQ(answers[2].header("Connection").value_or(""), "close") << answers[2];
  // Nothing after the third: the server closed the connection.
  for (std::size_t i = 3; i < answers.size(); ++i) EXPECT_EQ(answers[i].status, 0) << answers[i];
}

}  // namespace
}  // namespace image_resize::integration
