// The OutboundClient against OriginServers on loopback addresses (nothing leaves 127.0.0.0/8 and
// ::1): bodies, statuses, redirects checked hop by hop, the timeouts, the body cap, the guard
// before any byte is sent, POSTs, and the environment's proxy.
#include "outbound/outbound_client.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "outbound/transfer.h"
#include "support/loopback.h"
#include "support/origin_server.h"

namespace image_resize::outbound {
namespace {

using namespace std::chrono_literals;
using testing::OriginReply;
using testing::OriginServer;
using Clock = std::chrono::steady_clock;

const char* const kProxyVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                       "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

OutboundConfig allowing(std::string_view allow) {
  OutboundConfig config;
  config.guard = AddressGuard(core::IpRanges::parse(allow).value(), {});
  return config;
}

// Loopback is denied by default: these tests open it (or not) themselves.
class OutboundClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kProxyVariables) unsetenv(name);
  }
  void TearDown() override { SetUp(); }

  OriginServer origin_;
  OutboundClient client_{allowing("127.0.0.1/32")};
};

core::Result<OutboundResponse> get(OutboundClient& client, const std::string& url,
                                   FetchLimits limits = {}) {
  return client.get(url, limits, {});
}

std::string code_of(const core::Result<OutboundResponse>& result) {
  return result.ok() ? "ok " + std::to_string(result->status)
                     : std::string(core::to_string(result.error().code)) + ": " +
                           result.error().log_message();
}

TEST_F(OutboundClientTest, FetchesAWholeBody) {
  origin_.reply("/cat.txt", OriginReply::ok("meow", "text/plain"));
  const auto response = get(client_, origin_.url("/cat.txt?size=1"));
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "meow");
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->final_url, origin_.url("/cat.txt?size=1"));
  const auto requests = origin_.requests("/cat.txt");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].header("user-agent"), "image-resize");
  EXPECT_EQ(requests[0].header("accept-encoding"), "");  // no decompression bombs
  EXPECT_FALSE(requests[0].via_proxy);
}

TEST_F(OutboundClientTest, FeedsA2xxBodyToTheSink) {
  const std::string body(300'000, 'b');
  origin_.reply("/big", OriginReply::ok(body));
  std::string taken;
  int chunks = 0;
  const auto response = client_.get(origin_.url("/big"), {}, [&](std::string_view chunk) {
    taken.append(chunk);
    ++chunks;
    return core::Status{};
  });
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(taken, body);
  EXPECT_GT(chunks, 1);
  EXPECT_TRUE(response->body.empty());
}

TEST_F(OutboundClientTest, ANon2xxIsAnAnswerWithTheStartOfItsBody) {
  origin_.reply("/missing", OriginReply::with_status(404, "not here"));
  origin_.reply("/error", OriginReply::with_status(500, std::string(100'000, 'e')));
  bool sink_called = false;
  const BodySink sink = [&](std::string_view) {
    sink_called = true;
    return core::Status{};
  };
  const auto missing = client_.get(origin_.url("/missing"), {}, sink);
  ASSERT_TRUE(missing.ok()) << code_of(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "not here");
  const auto error = client_.get(origin_.url("/error"), {}, sink);
  ASSERT_TRUE(error.ok()) << code_of(error);
  EXPECT_EQ(error->status, 500);
  EXPECT_EQ(error->body.size(), 4096u);
  EXPECT_FALSE(sink_called);
}

TEST_F(OutboundClientTest, FollowsRedirectsOnTheSameOrigin) {
  origin_.reply("/old", OriginReply::redirect(301, "/moved"));
  origin_.reply("/moved", OriginReply::redirect(307, origin_.url("/new")));
  origin_.reply("/new", OriginReply::ok("here"));
  const auto response = get(client_, origin_.url("/old"));
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "here");
  EXPECT_EQ(response->final_url, origin_.url("/new"));
  EXPECT_EQ(origin_.count("/old") + origin_.count("/moved") + origin_.count("/new"), 3u);
}

TEST_F(OutboundClientTest, ARedirectToADeniedAddressIsForbiddenAndNeverSent) {
  OriginServer other("127.0.0.2");
  other.reply("/secret", OriginReply::ok("secret"));
  origin_.reply("/go", OriginReply::redirect(302, other.url("/secret")));
  const auto response = get(client_, origin_.url("/go"));  // only 127.0.0.1/32 allowed
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_forbidden) << code_of(response);
  EXPECT_NE(response.error().internal_message.find("127.0.0.2"), std::string::npos);
  EXPECT_TRUE(other.all_requests().empty());
}

TEST_F(OutboundClientTest, ARedirectToAnotherSchemeIsForbidden) {
  origin_.reply("/go", OriginReply::redirect(302, "file:///etc/passwd"));
  const auto response = get(client_, origin_.url("/go"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_forbidden) << code_of(response);
}

TEST_F(OutboundClientTest, MoreThanMaxRedirectsIsAnHttpError) {
  origin_.reply("/loop", OriginReply::redirect(302, "/loop"));
  const auto response = get(client_, origin_.url("/loop"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_http_error) << code_of(response);
  EXPECT_NE(response.error().public_message.find("302"), std::string::npos);
  EXPECT_EQ(origin_.count("/loop"), 4u);  // the first request and max_redirects (3) more
}

TEST_F(OutboundClientTest, ASilentSourceTimesOutAfterTheIdleTimeout) {
  OutboundConfig config = allowing("127.0.0.1/32");
  config.idle_timeout = 300ms;
  OutboundClient client(config);
  origin_.reply("/slow", OriginReply::trickled("0123456789", 1, 2'000ms));
  origin_.reply("/hang", OriginReply::hanging());
  for (const char* path : {"/slow", "/hang"}) {
    const auto started = Clock::now();
    const auto response = get(client, origin_.url(path));
    const auto took = Clock::now() - started;
    ASSERT_FALSE(response.ok()) << path;
    EXPECT_EQ(response.error().code, core::ErrorCode::source_timeout) << code_of(response);
    EXPECT_GE(took, 300ms) << path;
    EXPECT_LT(took, 1'000ms) << path;  // not curl's once-a-second progress tick
  }
}

TEST_F(OutboundClientTest, ATrickleFasterThanTheIdleTimeoutIsFetched) {
  OutboundConfig config = allowing("127.0.0.1/32");
  config.idle_timeout = 500ms;
  OutboundClient client(config);
  origin_.reply("/drip", OriginReply::trickled("0123456789", 2, 50ms));
  const auto response = get(client, origin_.url("/drip"));
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(response->body, "0123456789");
}

TEST_F(OutboundClientTest, TheTotalTimeoutEndsABusyTransfer) {
  origin_.reply("/drip", OriginReply::trickled(std::string(200, 'd'), 1, 20ms));
  const auto started = Clock::now();
  const auto response =
      get(client_, origin_.url("/drip"), {.max_bytes = 0, .total_timeout = 400ms});
  const auto took = Clock::now() - started;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_timeout) << code_of(response);
  EXPECT_LT(took, 1'500ms);
}

long resident_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

TEST_F(OutboundClientTest, AnEndlessBodyStopsAtTheCapWithoutFillingMemory) {
  origin_.reply("/endless", OriginReply::endless_body());
  constexpr std::uint64_t kCap = 64 * 1024 * 1024;
  const long before = resident_kib();
  std::uint64_t taken = 0;
  const auto response =
      client_.get(origin_.url("/endless"), {.max_bytes = kCap, .total_timeout = 20s},
                  [&](std::string_view chunk) {
                    taken += chunk.size();
                    return core::Status{};
                  });
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_too_large) << code_of(response);
  EXPECT_LE(taken, kCap);
  EXPECT_GT(taken, kCap - 1024 * 1024);
  EXPECT_LT(resident_kib() - before, 16 * 1024) << "KiB more resident after 64 MiB streamed";
}

TEST_F(OutboundClientTest, AContentLengthOverTheCapIsRefusedBeforeTheBody) {
  origin_.reply("/big", OriginReply::ok(std::string(1'000'000, 'b')));
  bool sink_called = false;
  const auto response = client_.get(origin_.url("/big"), {.max_bytes = 1000, .total_timeout = 0ms},
                                    [&](std::string_view) {
                                      sink_called = true;
                                      return core::Status{};
                                    });
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_too_large) << code_of(response);
  EXPECT_FALSE(sink_called);
}

TEST_F(OutboundClientTest, AClosedPortIsUnreachable) {
  const std::uint16_t port = testing::free_loopback_port();
  const auto response = get(client_, "http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_unreachable) << code_of(response);
}

TEST_F(OutboundClientTest, ANameThatDoesNotResolvePassesTheCheckAndIsUnreachable) {
  OutboundClient client{OutboundConfig{}};
  EXPECT_TRUE(client.check("http://no-such-host.invalid/x").ok());
  const auto response = get(client, "http://no-such-host.invalid/x");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_unreachable) << code_of(response);
}

TEST_F(OutboundClientTest, WithoutAllowLoopbackIsDeniedBeforeAnyByteIsSent) {
  OutboundClient client{OutboundConfig{}};
  origin_.reply("/x", OriginReply::ok("x"));
  for (const std::string& url :
       {origin_.url("/x"), "http://localhost:" + std::to_string(origin_.port()) + "/x",
        "http://0x7f.1:" + std::to_string(origin_.port()) + "/x",
        "http://[::ffff:127.0.0.1]:" + std::to_string(origin_.port()) + "/x"}) {
    const auto checked = client.check(url);
    ASSERT_FALSE(checked.ok()) << url;
    EXPECT_EQ(checked.error().code, core::ErrorCode::url_forbidden) << url;
    EXPECT_TRUE(checked.error().public_message.starts_with("url: "));
    const auto response = get(client, url);
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.error().code, core::ErrorCode::source_forbidden) << code_of(response);
  }
  EXPECT_TRUE(origin_.all_requests().empty());
}

TEST_F(OutboundClientTest, ANameIsResolvedOnceAndTheConnectionPinnedToIt) {
  OutboundClient client(allowing("127.0.0.0/8,::1"));
  origin_.reply("/x", OriginReply::ok("by name"));
  const auto response = get(client, "http://localhost:" + std::to_string(origin_.port()) + "/x");
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(response->body, "by name");
  EXPECT_EQ(origin_.requests("/x").at(0).header("host"),
            "localhost:" + std::to_string(origin_.port()));
}

// The pinning itself: a name no resolver knows, given the address it was checked at, is reached
// there, so curl made no lookup of its own (none could have found it).
TEST_F(OutboundClientTest, TheConnectionGoesToTheCheckedAddressesWithoutASecondLookup) {
  origin_.reply("/pinned", OriginReply::ok("pinned"));
  const auto url =
      parse_outbound_url("http://pinned.invalid:" + std::to_string(origin_.port()) + "/pinned");
  ASSERT_TRUE(url.ok());
  Hop hop;
  hop.url = &*url;
  hop.addresses = {"::1", "127.0.0.1"};  // ::1 refuses: curl tries the next one
  hop.connect_timeout = 2s;
  hop.idle_timeout = 2s;
  hop.total_timeout = 5s;
  const auto answer = perform_hop(hop);
  ASSERT_TRUE(answer.ok()) << answer.error().log_message();
  EXPECT_EQ(answer->body, "pinned");
  EXPECT_EQ(origin_.requests("/pinned").at(0).header("host"),
            "pinned.invalid:" + std::to_string(origin_.port()));
}

TEST_F(OutboundClientTest, ATlsFailureIsUnreachable) {
  origin_.reply("/", OriginReply::ok("plain http"));
  const auto response = get(client_, "https://" + origin_.authority() + "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_unreachable) << code_of(response);
}

TEST_F(OutboundClientTest, PostDeliversBodyAndHeadersAndFollowsNoRedirect) {
  origin_.reply_sequence("/hook", {OriginReply::with_status(500), OriginReply::with_status(204)});
  origin_.reply("/moved", OriginReply::redirect(302, "/hook"));
  const std::vector<std::string> headers = {"Content-Type: application/json",
                                            "X-Signature: sha256=abc"};
  const auto first = client_.post(origin_.url("/hook"), R"({"id":1})", headers, 2s);
  ASSERT_TRUE(first.ok()) << code_of(first);
  EXPECT_EQ(first->status, 500);
  const auto second = client_.post(origin_.url("/hook"), R"({"id":1})", headers, 2s);
  ASSERT_TRUE(second.ok()) << code_of(second);
  EXPECT_EQ(second->status, 204);
  const auto requests = origin_.requests("/hook");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].body, R"({"id":1})");
  EXPECT_EQ(requests[1].header("content-type"), "application/json");
  EXPECT_EQ(requests[1].header("x-signature"), "sha256=abc");
  EXPECT_EQ(requests[1].header("expect"), "");
  const auto moved = client_.post(origin_.url("/moved"), "{}", headers, 2s);
  ASSERT_TRUE(moved.ok()) << code_of(moved);
  EXPECT_EQ(moved->status, 302);
  EXPECT_EQ(origin_.count("/hook"), 2u);
}

TEST_F(OutboundClientTest, PostMessagesNameTheCallbackUrl) {
  OutboundClient client{OutboundConfig{}};
  const auto bad = client.post("ftp://example.com/", "{}", {}, 1s);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().public_message.starts_with("callback_url: "));
  const auto denied = client.post(origin_.url("/hook"), "{}", {}, 1s);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, core::ErrorCode::source_forbidden);
  EXPECT_TRUE(origin_.all_requests().empty());
}

TEST_F(OutboundClientTest, TheEnvironmentsProxyIsUsedAndNoProxyBypassesIt) {
  OriginServer target("127.0.0.2");
  target.reply("/img", OriginReply::ok("through"));
  OutboundClient client(allowing("127.0.0.0/8"));
  setenv("http_proxy", origin_.url("").c_str(), 1);  // origin_ is the proxy here
  const auto proxied = get(client, target.url("/img"));
  ASSERT_TRUE(proxied.ok()) << code_of(proxied);
  EXPECT_EQ(proxied->body, "through");
  ASSERT_EQ(origin_.count("/img"), 1u);
  EXPECT_TRUE(origin_.requests("/img")[0].via_proxy);
  EXPECT_EQ(origin_.requests("/img")[0].target, target.url("/img"));
  EXPECT_EQ(target.count("/img"), 1u);  // forwarded

  setenv("NO_PROXY", "127.0.0.2", 1);
  const auto direct = get(client, target.url("/img"));
  ASSERT_TRUE(direct.ok()) << code_of(direct);
  EXPECT_EQ(origin_.count("/img"), 1u);
  EXPECT_EQ(target.count("/img"), 2u);
  EXPECT_FALSE(target.requests("/img")[1].via_proxy);
}

TEST_F(OutboundClientTest, ADeniedTargetIsNotSentToTheProxyEither) {
  OriginServer target("127.0.0.2");
  setenv("http_proxy", origin_.url("").c_str(), 1);
  const auto response = get(client_, target.url("/img"));  // 127.0.0.2 is not allowed
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::source_forbidden);
  EXPECT_TRUE(origin_.all_requests().empty());
}

TEST_F(OutboundClientTest, ASinkErrorStopsTheTransferAndIsReturned) {
  origin_.reply("/big", OriginReply::ok(std::string(4'000'000, 'b')));
  int calls = 0;
  const auto response = client_.get(origin_.url("/big"), {}, [&](std::string_view) {
    ++calls;
    return core::Status(core::Error::make(core::ErrorCode::image_too_large, "Too many pixels"));
  });
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::image_too_large);
  EXPECT_EQ(calls, 1);
}

TEST_F(OutboundClientTest, AnIPv6Origin) {
  std::unique_ptr<OriginServer> v6;
  try {
    v6 = std::make_unique<OriginServer>("::1");
  } catch (const std::exception& error) {
    GTEST_SKIP() << "no ::1 here: " << error.what();
  }
  v6->reply("/six", OriginReply::ok("six"));
  OutboundClient client(allowing("::1/128"));
  const auto response = get(client, v6->url("/six"));
  ASSERT_TRUE(response.ok()) << code_of(response);
  EXPECT_EQ(response->body, "six");
  EXPECT_FALSE(OutboundClient(OutboundConfig{}).check(v6->url("/six")).ok());
}

}  // namespace
}  // namespace image_resize::outbound
