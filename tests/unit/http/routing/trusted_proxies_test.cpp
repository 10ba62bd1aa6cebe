// Which address a request is from: X-Forwarded-For is believed only from a trusted proxy, and
// then only its rightmost untrusted hop (what a client wrote to the left of it is not believed).
#include "http/trusted_proxies.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

TrustedProxies proxies(std::string_view list) {
  auto parsed = TrustedProxies::parse(list);
  EXPECT_TRUE(parsed.ok()) << parsed.error().log_message();
  return parsed.ok() ? *parsed : TrustedProxies{};
}

TEST(TrustedProxies, RangesOfBothFamilies) {
  const TrustedProxies trusted = proxies(" 10.0.0.0/8, 127.0.0.1 ,fd00::/8,::1");
  for (const char* inside :
       {"10.1.2.3", "10.255.255.255", "127.0.0.1", "fd12::1", "::1", "::ffff:10.9.8.7", "[::1]"}) {
    EXPECT_TRUE(trusted.contains(inside)) << inside;
  }
  for (const char* outside : {"11.0.0.1", "127.0.0.2", "fe80::1", "::2", "", "x", "10.0.0"}) {
    EXPECT_FALSE(trusted.contains(outside)) << outside;
  }
  EXPECT_TRUE(proxies("0.0.0.0/0").contains("203.0.113.9"));
  EXPECT_FALSE(proxies("0.0.0.0/0").contains("2001:db8::1"));
  EXPECT_TRUE(proxies("192.168.1.0/25").contains("192.168.1.127"));
  EXPECT_FALSE(proxies("192.168.1.0/25").contains("192.168.1.128"));
  EXPECT_TRUE(proxies("").empty());
}

TEST(TrustedProxies, BadEntriesAreRefused) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "localhost",
                          "10.0.0.1/8/8", "10.0.0.256"}) {
    EXPECT_FALSE(TrustedProxies::parse(bad).ok()) << bad;
  }
}

TEST(TrustedProxies, TheClientIsTheRightmostHopNotATrustedProxy) {
  const TrustedProxies trusted = proxies("127.0.0.1,10.0.0.0/8");
  // From a trusted proxy: its client.
  EXPECT_EQ(trusted.client_address("127.0.0.1", "203.0.113.7"), "203.0.113.7");
  // A client's own X-Forwarded-For to the left is not believed; proxies on the right are skipped.
  EXPECT_EQ(trusted.client_address("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5"), "203.0.113.7");
  EXPECT_EQ(trusted.client_address("127.0.0.1", "10.0.0.6, 10.0.0.5"), "10.0.0.6");
  EXPECT_EQ(trusted.client_address("127.0.0.1", "2001:db8::7"), "2001:db8::7");
  // From anyone else, or with a header that is not a list of addresses: the peer.
  EXPECT_EQ(trusted.client_address("198.51.100.1", "203.0.113.7"), "198.51.100.1");
  EXPECT_EQ(trusted.client_address("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(trusted.client_address("127.0.0.1", "203.0.113.7, <script>"), "127.0.0.1");
  EXPECT_EQ(TrustedProxies{}.client_address("127.0.0.1", "203.0.113.7"), "127.0.0.1");
}

}  // namespace
}  // namespace image_resize::http
