// RedisUrl::parse and RedisConfig::validate: the `--redis` flag's accepted forms and the errors.

#include "tasks/redis/redis_url.h"

#include <gtest/gtest.h>

#include "tasks/redis/redis_config.h"

namespace image_resize::tasks {
namespace {

RedisUrl make_url(std::string host, std::uint16_t port = 6379, int database = 0,
                  std::string username = "", std::string password = "") {
  RedisUrl url;
  url.host = std::move(host);
  url.port = port;
  url.database = database;
  url.username = std::move(username);
  url.password = std::move(password);
  return url;
}

struct ValidCase {
  std::string name;
  std::string text;
  RedisUrl expected;
};

class RedisUrlValid : public ::testing::TestWithParam<ValidCase> {};

TEST_P(RedisUrlValid, Parses) {
  auto url = RedisUrl::parse(GetParam().text);
  ASSERT_TRUE(url.ok()) << url.error().log_message();
  EXPECT_EQ(*url, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, RedisUrlValid,
    ::testing::Values(
        ValidCase{"HostPortDb", "redis://cache.internal:6380/2",
                  make_url("cache.internal", 6380, 2)},
        ValidCase{"DefaultsPortAndDb", "redis://redis", make_url("redis")},
        ValidCase{"TrailingSlashIsDbZero", "redis://redis:7000/", make_url("redis", 7000)},
        ValidCase{"DbWithoutPort", "redis://10.0.0.5/15", make_url("10.0.0.5", 6379, 15)},
        ValidCase{"PasswordOnly", "redis://:s3cret@redis:6379/1",
                  make_url("redis", 6379, 1, "", "s3cret")},
        ValidCase{"LoneUserInfoIsThePassword", "redis://s3cret@redis",
                  make_url("redis", 6379, 0, "", "s3cret")},
        ValidCase{"UserAndPassword", "redis://worker:pw@redis",
                  make_url("redis", 6379, 0, "worker", "pw")},
        ValidCase{"PercentEncodedPassword", "redis://:p%40ss%3Aw%2Frd@redis",
                  make_url("redis", 6379, 0, "", "p@ss:w/rd")},
        ValidCase{"PasswordWithAtSignUsesTheLastAt", "redis://:a@b@redis",
                  make_url("redis", 6379, 0, "", "a@b")},
        ValidCase{"Ipv6", "redis://[::1]:6390/3", make_url("::1", 6390, 3)},
        ValidCase{"Ipv6WithoutPort", "redis://[::1]", make_url("::1")}),
    [](const auto& test) { return test.param.name; });

struct InvalidCase {
  std::string name;
  std::string text;
  std::string message_part;  // the error names the problem
};

class RedisUrlInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(RedisUrlInvalid, IsRefusedWithAReason) {
  auto url = RedisUrl::parse(GetParam().text);
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().code, core::ErrorCode::internal);
  EXPECT_NE(url.error().internal_message.find(GetParam().message_part), std::string::npos)
      << url.error().internal_message;
  EXPECT_EQ(url.error().internal_message.find("hunter2"), std::string::npos)
      << "the password leaked into the error";
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, RedisUrlInvalid,
    ::testing::Values(InvalidCase{"Empty", "", "redis://"},
                      InvalidCase{"NoScheme", "localhost:6379", "redis://"},
                      InvalidCase{"HttpScheme", "http://redis:6379", "redis://"},
                      InvalidCase{"Tls", "rediss://redis:6379", "TLS"},
                      InvalidCase{"MissingHost", "redis://:6379/0", "host"},
                      InvalidCase{"OnlyScheme", "redis://", "host"},
                      InvalidCase{"EmptyPort", "redis://redis:/0", "port"},
                      InvalidCase{"PortZero", "redis://redis:0", "port"},
                      InvalidCase{"PortTooBig", "redis://redis:65536", "port"},
                      InvalidCase{"PortNotANumber", "redis://redis:http", "port"},
                      InvalidCase{"NegativePort", "redis://redis:-1", "port"},
                      InvalidCase{"DbNotANumber", "redis://redis/db", "database"},
                      InvalidCase{"NegativeDb", "redis://redis/-1", "database"},
                      InvalidCase{"PathBeyondDb", "redis://redis/0/1", "database"},
                      InvalidCase{"QueryString", "redis://redis/0?timeout=1", "query"},
                      InvalidCase{"BadPercentEncoding", "redis://:hunter2%4@redis", "percent"},
                      InvalidCase{"UnterminatedIpv6", "redis://[::1:6379", "IPv6"},
                      InvalidCase{"SpaceInHost", "redis://my host", "host"}),
    [](const auto& test) { return test.param.name; });

TEST(RedisUrl, RedactedHidesThePassword) {
  auto url = RedisUrl::parse("redis://worker:hunter2@redis:6380/4");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->redacted(), "redis://worker:***@redis:6380/4");
  auto plain = RedisUrl::parse("redis://[::1]");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->redacted(), "redis://[::1]:6379/0");
}

struct ConfigCase {
  std::string name;
  RedisConfig config;
};

class RedisConfigInvalid : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(RedisConfigInvalid, IsRefused) { EXPECT_FALSE(GetParam().config.validate().ok()); }

INSTANTIATE_TEST_SUITE_P(
    Fields, RedisConfigInvalid,
    ::testing::Values(
        ConfigCase{"EmptyPrefix", {.key_prefix = ""}},
        ConfigCase{"ZeroLease", {.lease_duration = std::chrono::milliseconds(0)}},
        ConfigCase{"ZeroConnectTimeout", {.connect_timeout = std::chrono::milliseconds(0)}},
        ConfigCase{"NegativeCommandTimeout", {.command_timeout = std::chrono::milliseconds(-1)}},
        ConfigCase{"ZeroBlockRound", {.block_round = std::chrono::milliseconds(0)}},
        ConfigCase{"HugeBlockRound", {.block_round = std::chrono::minutes(1)}},
        ConfigCase{"ZeroGrace", {.hash_ttl_grace = std::chrono::milliseconds(0)}}),
    [](const auto& test) { return test.param.name; });

TEST(RedisConfig, DefaultsAreValid) { EXPECT_TRUE(RedisConfig{}.validate().ok()); }

}  // namespace
}  // namespace image_resize::tasks
