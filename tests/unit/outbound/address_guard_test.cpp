// The guard's decision alone, no connection: every default range at its edges, the IPv6 forms
// that carry an IPv4 address, and --outbound-allow / --outbound-deny precedence.
#include "outbound/address_guard.h"

#include <gtest/gtest.h>

namespace image_resize::outbound {
namespace {

core::IpRanges ranges(std::string_view list) { return core::IpRanges::parse(list).value(); }

struct Edge {
  const char* range;
  const char* first;
  const char* last;
  const char* before;  // just outside, allowed ("" when the range starts the space)
  const char* after;   // just outside, allowed ("" when it ends it, or a neighbour is denied)
};

// Each default range: its first and last address denied, the neighbours allowed.
const Edge kDeniedByDefault[] = {
    {"0.0.0.0/8", "0.0.0.0", "0.255.255.255", "", "1.0.0.0"},
    {"10.0.0.0/8", "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"},
    {"100.64.0.0/10", "100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0"},
    {"127.0.0.0/8", "127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0"},
    {"169.254.0.0/16", "169.254.0.0", "169.254.255.255", "169.253.255.255", "169.255.0.0"},
    {"172.16.0.0/12", "172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0"},
    {"192.0.0.0/24", "192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0"},
    {"192.0.2.0/24", "192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0"},
    {"192.168.0.0/16", "192.168.0.0", "192.168.255.255", "192.167.255.255", "192.169.0.0"},
    {"198.18.0.0/15", "198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0"},
    {"198.51.100.0/24", "198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0"},
    {"203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"},
    {"224.0.0.0/4", "224.0.0.0", "239.255.255.255", "223.255.255.255", ""},
    {"240.0.0.0/4", "240.0.0.0", "255.255.255.255", "", ""},
    {"::/128", "::", "::", "", ""},
    {"::1/128", "::1", "::1", "", ""},
    {"fc00::/7", "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
     "fbff:ffff:ffff:ffff::", "fe00::"},
    {"fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe7f:ffff::", ""},
    {"fec0::/10", "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", ""},
    {"ff00::/8", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", ""},
    {"2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
     "2001:db7:ffff::", "2001:db9::"},
    {"100::/64", "100::", "100::ffff:ffff:ffff:ffff", "ff:ffff::", "100:0:0:1::"},
};

TEST(AddressGuard, EveryDefaultRangeIsDeniedAtBothEnds) {
  const AddressGuard guard;
  for (const Edge& edge : kDeniedByDefault) {
    EXPECT_FALSE(guard.decide(edge.first).allowed) << edge.range << " " << edge.first;
    EXPECT_FALSE(guard.decide(edge.last).allowed) << edge.range << " " << edge.last;
    EXPECT_FALSE(guard.decide(edge.first).reason.empty());
  }
}

TEST(AddressGuard, JustOutsideEachRangeIsAllowed) {
  const AddressGuard guard;
  for (const Edge& edge : kDeniedByDefault) {
    for (const char* outside : {edge.before, edge.after}) {
      if (*outside == '\0') continue;
      const GuardDecision decision = guard.decide(outside);
      EXPECT_TRUE(decision.allowed) << edge.range << " " << outside << ": " << decision.reason;
    }
  }
}

TEST(AddressGuard, PublicAddressesAreAllowed) {
  const AddressGuard guard;
  for (const char* address :
       {"8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1111", "2a00:1450:4001::200e"}) {
    const GuardDecision decision = guard.decide(address);
    EXPECT_TRUE(decision.allowed) << address;
    EXPECT_EQ(decision.reason, "public");
  }
}

TEST(AddressGuard, ReasonsNameTheRange) {
  const AddressGuard guard;
  EXPECT_EQ(guard.decide("127.0.0.1").reason, "loopback");
  EXPECT_EQ(guard.decide("::1").reason, "loopback");
  EXPECT_EQ(guard.decide("10.1.1.1").reason, "private");
  EXPECT_EQ(guard.decide("169.254.169.254").reason, "link-local (cloud metadata)");
}

TEST(AddressGuard, IPv6FormsCarryingIPv4AreJudgedByTheIPv4) {
  const AddressGuard guard;
  for (const char* denied :
       {"::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:169.254.169.254", "::ffff:10.0.0.1",
        "::127.0.0.1", "::a9fe:a9fe", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe",
        "64:ff9b::10.1.2.3", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::"}) {
    EXPECT_FALSE(guard.decide(denied).allowed) << denied;
  }
  for (const char* allowed :
       {"::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1", "::8.8.8.8"}) {
    EXPECT_TRUE(guard.decide(allowed).allowed) << allowed;
  }
}

TEST(AddressGuard, AnythingButALiteralAddressIsDenied) {
  const AddressGuard guard;
  for (const char* text : {"", "localhost", "example.com", "127.1", "0x7f.0.0.1", "2130706433",
                           "[::1]", "[8.8.8.8]", "fe80::1%eth0", "8.8.8.8/32", " 8.8.8.8"}) {
    EXPECT_FALSE(guard.decide(text).allowed) << text;
  }
}

TEST(AddressGuard, AllowOpensADefaultRange) {
  const AddressGuard guard(ranges("127.0.0.1/32,fd00::/8"), {});
  EXPECT_TRUE(guard.decide("127.0.0.1").allowed);
  EXPECT_EQ(guard.decide("127.0.0.1").reason, "allowed by --outbound-allow");
  EXPECT_TRUE(guard.decide("::ffff:127.0.0.1").allowed);
  EXPECT_TRUE(guard.decide("fd12::1").allowed);
  EXPECT_FALSE(guard.decide("127.0.0.2").allowed);
  EXPECT_FALSE(guard.decide("10.0.0.1").allowed);
}

TEST(AddressGuard, DenyWinsOverAllowAndClosesPublicAddresses) {
  const AddressGuard guard(ranges("10.0.0.0/8"), ranges("10.1.0.0/16,8.8.8.8"));
  EXPECT_TRUE(guard.decide("10.2.0.1").allowed);
  EXPECT_FALSE(guard.decide("10.1.0.1").allowed);
  EXPECT_EQ(guard.decide("10.1.0.1").reason, "denied by --outbound-deny");
  EXPECT_FALSE(guard.decide("8.8.8.8").allowed);
  EXPECT_FALSE(guard.decide("::ffff:8.8.8.8").allowed);
  EXPECT_FALSE(guard.decide("64:ff9b::8.8.8.8").allowed);  // deny sees the embedded IPv4 too
  EXPECT_TRUE(guard.decide("8.8.4.4").allowed);
}

}  // namespace
}  // namespace image_resize::outbound
