// parse_outbound_url with libcurl's URL parser, and through it the guard: what is checked is the
// host curl will connect to, whatever the URL's spelling.
#include "outbound/outbound_url.h"

#include <gtest/gtest.h>

#include "outbound/address_guard.h"

namespace image_resize::outbound {
namespace {

OutboundUrl parsed(std::string_view text) {
  auto url = parse_outbound_url(text);
  EXPECT_TRUE(url.ok()) << text << ": " << (url.ok() ? "" : url.error().log_message());
  return url.ok() ? *url : OutboundUrl{};
}

core::Error refused(std::string_view text, std::string_view field = "url") {
  auto url = parse_outbound_url(text, field);
  EXPECT_FALSE(url.ok()) << text << " gave " << (url.ok() ? url->url : "");
  return url.ok() ? core::Error{} : url.error();
}

TEST(OutboundUrl, NormalisedByCurl) {
  const OutboundUrl url = parsed("HTTPS://Example.com/a/../b?q=1#frag");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.port, 443);
  EXPECT_FALSE(url.host_is_address);
  EXPECT_EQ(url.url.find('#'), std::string::npos);  // the fragment is dropped
  EXPECT_EQ(parsed("http://example.com/").port, 80);
  EXPECT_EQ(parsed("http://example.com:8080/x").port, 8080);
  EXPECT_EQ(parsed("http://example.com:8080/x").url, "http://example.com:8080/x");
}

TEST(OutboundUrl, OddIPv4SpellingsBecomeDottedQuads) {
  for (const char* text :
       {"http://0x7f.1/", "http://2130706433/", "http://127.1/", "http://017700000001/",
        "http://0177.0.0.1/", "http://0x7f000001/", "http://127.0.1/", "http://%31%32%37.0.0.1/"}) {
    const OutboundUrl url = parsed(text);
    EXPECT_EQ(url.host, "127.0.0.1") << text;
    EXPECT_TRUE(url.host_is_address) << text;
    EXPECT_EQ(url.url, "http://127.0.0.1/") << text;
  }
  EXPECT_EQ(parsed("http://0/").host, "0.0.0.0");
}

TEST(OutboundUrl, HostsThatEndInANumberButAreNoAddressAreRefused) {
  // curl keeps these as names; a resolver could still read some as numbers.
  for (const char* text :
       {"http://127.0.0.1./", "http://1.2.3.4.5/", "http://256.0.0.1/", "http://0x100.0.0.1/",
        "http://09.1/", "http://0x.1/", "http://example.123/"}) {
    refused(text);
  }
  EXPECT_EQ(parsed("http://example.com./").host, "example.com.");
  EXPECT_EQ(parsed("http://a1.example/").host, "a1.example");
}

TEST(OutboundUrl, IPv6HostsComeWithoutBrackets) {
  const OutboundUrl url = parsed("https://[::1]:8443/p");
  EXPECT_EQ(url.host, "::1");
  EXPECT_TRUE(url.host_is_address);
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(parsed("http://[0:0:0:0:0:ffff:169.254.169.254]/").host, "::ffff:169.254.169.254");
}

TEST(OutboundUrl, ControlCharactersAndOddHostBytesAreRefused) {
  using namespace std::string_literals;
  for (const std::string& text :
       {"http://example.com/\0@127.0.0.1/"s, "http://127.0.0.1\0.example/"s,
        " http://example.com/"s, "http://example.com/a b"s, "http://example.com/\r\nX: y"s,
        "http://%7fd0/"s, "http://ex%C3%A4mple.com/"s, "http://exämple.com/"s}) {
    EXPECT_EQ(refused(text).code, core::ErrorCode::invalid_url);
  }
  EXPECT_EQ(parsed("http://my_host-1.example/").host, "my_host-1.example");
}

TEST(OutboundUrl, ZoneIdsAreRefused) {
  refused("http://[fe80::1%25eth0]/");
  refused("http://[fe80::1%eth0]/");
}

TEST(OutboundUrl, UserInfoIsRefused) {
  for (const char* text : {"http://user:pw@example.com/", "http://example.com@127.0.0.1/",
                           "http://user@example.com/", "http://:pw@example.com/"}) {
    const core::Error error = refused(text);
    EXPECT_EQ(error.code, core::ErrorCode::invalid_url);
    EXPECT_NE(error.public_message.find("user"), std::string::npos) << error.public_message;
  }
}

TEST(OutboundUrl, OnlyHttpAndHttps) {
  for (const char* text :
       {"file:///etc/passwd", "gopher://example.com/", "ftp://example.com/x",
        "dict://example.com:11211/", "ldap://example.com/", "example.com/x", "//example.com/x", "",
        "garbage", "http://", "http:// /", "http://exa mple.com/", "http://example.com:99999/",
        "http://example.com:0/"}) {
    const core::Error error = refused(text);
    EXPECT_EQ(error.code, core::ErrorCode::invalid_url) << text;
  }
}

TEST(OutboundUrl, MessagesNameTheField) {
  const core::Error error = refused("file:///etc/passwd", "callback_url");
  EXPECT_TRUE(error.public_message.starts_with("callback_url: ")) << error.public_message;
  EXPECT_NE(error.public_message.find("http"), std::string::npos);
  EXPECT_TRUE(refused("nope").public_message.starts_with("url: "));
  EXPECT_TRUE(refused(std::string(9000, 'a')).public_message.starts_with("url: "));
}

// What the guard makes of the host parse_outbound_url found.
bool allowed(std::string_view text) {
  const auto url = parse_outbound_url(text);
  return url.ok() && (!url->host_is_address || AddressGuard{}.decide(url->host).allowed);
}

TEST(OutboundUrl, ThroughTheGuardEverySpellingOfAnInternalAddressIsDenied) {
  for (const char* text : {"http://0x7f.1/",
                           "http://2130706433/",
                           "http://127.1/",
                           "http://[::ffff:127.0.0.1]/",
                           "http://[::ffff:7f00:1]/",
                           "http://[0:0:0:0:0:ffff:169.254.169.254]/",
                           "http://169.254.169.254/latest/meta-data",
                           "http://user:pw@example.com/",
                           "http://example.com@127.0.0.1/",
                           "http://127.0.0.1#@example.com/",
                           "http://[::]/",
                           "http://0/",
                           "http://[::1]/",
                           "http://[64:ff9b::a9fe:a9fe]/",
                           "http://[2002:a9fe:a9fe::]/",
                           "file:///etc/passwd",
                           "gopher://127.0.0.1:6379/_INFO",
                           "ftp://127.0.0.1/",
                           "http:///",
                           "http://",
                           "::garbage::"}) {
    EXPECT_FALSE(allowed(text)) << text;
  }
  const OutboundUrl fragment = parsed("http://127.0.0.1#@example.com/");
  EXPECT_EQ(fragment.host, "127.0.0.1");
  EXPECT_TRUE(allowed("http://8.8.8.8/"));
  EXPECT_TRUE(allowed("http://[2606:4700::1111]/"));
}

TEST(OutboundUrl, ReparsingTheNormalisedUrlGivesTheSameParts) {
  for (const char* text : {"http://0x7f.1:81/a?b#c", "https://[::ffff:7f00:1]/", "http:///x",
                           "http://Example.COM/%7e"}) {
    const OutboundUrl first = parsed(text);
    const OutboundUrl second = parsed(first.url);
    EXPECT_EQ(second.url, first.url) << text;
    EXPECT_EQ(second.host, first.host) << text;
    EXPECT_EQ(second.port, first.port) << text;
  }
}

}  // namespace
}  // namespace image_resize::outbound
