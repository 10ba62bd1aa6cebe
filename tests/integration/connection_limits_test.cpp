// Hostile clients at the connection level: slow-loris connections trickling their headers are
// cut at --header-timeout while normal requests go on; --max-connections closes a flood of idle
// sockets at once; --max-requests-per-connection ends a pipelining client's connection.
#include <thread>

#include "integration/api_helpers.h"
#include "support/raw_connection.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

using testing::RawConnection;

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
    EXPECT_EQ(
        client().get(std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d").status, 404)
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
