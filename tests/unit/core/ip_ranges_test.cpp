// IP addresses and CIDR ranges of both families in one list; IPv4 held as IPv4-mapped IPv6.
#include "core/ip_ranges.h"

#include <gtest/gtest.h>

namespace image_resize::core {
namespace {

// A list the test knows to be valid (a bad one throws std::bad_variant_access: the test fails).
IpRanges ranges(std::string_view list) { return IpRanges::parse(list).value(); }

TEST(IpRanges, AddressesAndRangesOfBothFamilies) {
  const IpRanges list = ranges(" 10.0.0.0/8, 127.0.0.1 ,fd00::/8,::1/128");
  for (const char* inside :
       {"10.0.0.0", "10.255.255.255", "127.0.0.1", "fd12::1", "::1", "::ffff:10.9.8.7", "[::1]"}) {
    EXPECT_TRUE(list.contains(inside)) << inside;
  }
  for (const char* outside : {"9.255.255.255", "11.0.0.0", "127.0.0.2", "fe80::1", "::2", "", "x",
                              "10.0.0", "127.1", "localhost"}) {
    EXPECT_FALSE(list.contains(outside)) << outside;
  }
}

TEST(IpRanges, PrefixBoundaries) {
  EXPECT_TRUE(ranges("192.168.1.0/25").contains("192.168.1.127"));
  EXPECT_FALSE(ranges("192.168.1.0/25").contains("192.168.1.128"));
  EXPECT_TRUE(ranges("0.0.0.0/0").contains("203.0.113.9"));
  EXPECT_FALSE(ranges("0.0.0.0/0").contains("2001:db8::1"));
  EXPECT_TRUE(ranges("::/0").contains("2001:db8::1"));
  EXPECT_TRUE(ranges("::/0").contains("8.8.8.8"));  // every address is in ::/0
  EXPECT_TRUE(ranges("2001:db8::/32").contains("2001:db8:ffff:ffff::1"));
  EXPECT_FALSE(ranges("2001:db8::/32").contains("2001:db9::"));
}

TEST(IpRanges, EmptyListContainsNothing) {
  EXPECT_TRUE(ranges("").empty());
  EXPECT_FALSE(IpRanges::parse(" , ").ok());  // an empty entry is a mistake
  EXPECT_FALSE(IpRanges{}.contains("127.0.0.1"));
}

TEST(IpRanges, BadEntryIsNamed) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "localhost",
                          "10.0.0.1/8/8", "10.0.0.256", "1.2.3.4,,5.6.7.8", "fe80::1%eth0"}) {
    const auto parsed = IpRanges::parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
  }
  const auto parsed = IpRanges::parse("10.0.0.0/8, nope/3");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().log_message().find("'nope/3'"), std::string::npos)
      << parsed.error().log_message();
}

TEST(IpRanges, BuiltFromAList) {
  const auto list = IpRanges::from_list({"127.0.0.0/8", " ::1 "});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->contains("127.9.9.9"));
  EXPECT_TRUE(list->contains("::1"));
  EXPECT_EQ(list->ranges().size(), 2u);
  EXPECT_FALSE(IpRanges::from_list({"127.0.0.0/8", "bad"}).ok());
}

TEST(IpAddress, ParseAndFormat) {
  const auto v4 = parse_ip_address("192.0.2.7");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(is_ipv4_mapped(*v4));
  EXPECT_EQ(format_ip_address(*v4), "192.0.2.7");
  const auto v6 = parse_ip_address("[2001:DB8::1]");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(is_ipv4_mapped(*v6));
  EXPECT_EQ(format_ip_address(*v6), "2001:db8::1");
  EXPECT_EQ(format_ip_address(*parse_ip_address("::ffff:7f00:1")), "127.0.0.1");
  for (const char* bad : {"0x7f.1", "2130706433", "127.1", "fe80::1%25eth0", "1.2.3.4/8"}) {
    EXPECT_FALSE(parse_ip_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace image_resize::core
