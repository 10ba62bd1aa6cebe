#include "http/api_keys.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

constexpr const char* kFile =
    "# the keys of this deployment\n"
    "alice-0123456789abcdef   alice\n"
    "\n"
    "bob-0123456789abcdef\tBob the builder  \r\n"
    "nameless-0123456789ab\n";

TEST(ApiKeys, NoKeysMeansOff) {
  EXPECT_FALSE(ApiKeys{}.enabled());
  auto parsed = ApiKeys::parse("# only a comment\n\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->enabled());
}

TEST(ApiKeys, AKnownKeyNamesItsOwner) {
  auto keys = ApiKeys::parse(kFile);
  ASSERT_TRUE(keys.ok()) << keys.error().log_message();
  EXPECT_EQ(keys->size(), 3u);
  EXPECT_EQ(keys->authenticate("Bearer alice-0123456789abcdef")->name, "alice");
  EXPECT_EQ(keys->authenticate("bearer bob-0123456789abcdef")->name, "Bob the builder");
  EXPECT_FALSE(keys->authenticate("bearer bob-0123456789abcdef")->admin);
  // A key without a name gets one that does not reveal it.
  const std::string nameless = keys->authenticate("Bearer nameless-0123456789ab")->name;
  EXPECT_TRUE(nameless.starts_with("key-")) << nameless;
  EXPECT_EQ(nameless.find("nameless"), std::string::npos);
}

TEST(ApiKeys, TheWordAdminAfterANameMakesAnAdminKey) {
  auto keys = ApiKeys::parse(
      "ops-0123456789abcdef ops-team admin\n"
      "tabs-0123456789abcdef night shift\tadmin\n"
      "word-0123456789abcdef admin\n"
      "late-0123456789abcdef admin of nothing\n");
  ASSERT_TRUE(keys.ok()) << keys.error().log_message();
  struct Expected {
    const char* key;
    const char* name;
    bool admin;
  };
  // A lone word is the name, whatever it is; `admin` elsewhere than last is part of the name.
  for (const Expected& expected : {Expected{"ops-0123456789abcdef", "ops-team", true},
                                   Expected{"tabs-0123456789abcdef", "night shift", true},
                                   Expected{"word-0123456789abcdef", "admin", false},
                                   Expected{"late-0123456789abcdef", "admin of nothing", false}}) {
    const auto identity = keys->authenticate(std::string("Bearer ") + expected.key);
    ASSERT_TRUE(identity.ok()) << expected.key;
    EXPECT_EQ(identity->name, expected.name);
    EXPECT_EQ(identity->admin, expected.admin) << expected.name;
  }
}

TEST(ApiKeys, MissingOrMalformedIsUnauthorizedAndWrongIsForbidden) {
  auto keys = ApiKeys::parse(kFile);
  ASSERT_TRUE(keys.ok());
  for (const char* header :
       {"", "Bearer", "Bearer ", "Basic YWxpY2U6cGFzcw==", "alice-0123456789abcdef"}) {
    auto result = keys->authenticate(header);
    ASSERT_FALSE(result.ok()) << header;
    EXPECT_EQ(result.error().code, core::ErrorCode::unauthorized) << header;
  }
  for (const char* header : {"Bearer alice-0123456789abcdeF", "Bearer alice-0123456789abcde",
                             "Bearer alice-0123456789abcdef0", "Bearer x"}) {
    auto result = keys->authenticate(header);
    ASSERT_FALSE(result.ok()) << header;
    EXPECT_EQ(result.error().code, core::ErrorCode::forbidden) << header;
  }
}

TEST(ApiKeys, RefusesShortDuplicateOrOddKeys) {
  EXPECT_FALSE(ApiKeys::parse("short\n").ok());
  EXPECT_FALSE(ApiKeys::parse("same-0123456789abcdef a\nsame-0123456789abcdef b\n").ok());
  EXPECT_FALSE(ApiKeys::parse(std::string(257, 'k') + "\n").ok());
  EXPECT_FALSE(ApiKeys::parse("caf\xc3\xa9-0123456789abcdef\n").ok());
  EXPECT_FALSE(ApiKeys::load("/nonexistent/keys").ok());
}

// sha256:<hex> of a key (from Python's hashlib): the file holds no secret, the key still works.
constexpr char kHashedKey[] = "hashed-key-0123456789abcdef";
constexpr char kHashedLine[] =
    "sha256:befb5785adc7cb4b9802bc48c01815ec8593f81e424914c0a5010e9a8a90a645 hashed\n";

TEST(ApiKeys, AKeyMayBeGivenAsItsSha256) {
  auto keys = ApiKeys::parse(std::string(kHashedLine) + "plain-0123456789abcdef plain\n");
  ASSERT_TRUE(keys.ok()) << keys.error().log_message();
  const auto hashed = keys->authenticate(std::string("Bearer ") + kHashedKey);
  ASSERT_TRUE(hashed.ok());
  EXPECT_EQ(hashed->name, "hashed");
  const auto plain = keys->authenticate("Bearer plain-0123456789abcdef");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->name, "plain");
  // The hash itself is not a key.
  EXPECT_FALSE(
      keys->authenticate(
              "Bearer sha256:befb5785adc7cb4b9802bc48c01815ec8593f81e424914c0a5010e9a8a90a645")
          .ok());
  // The same key as text and as its hash is the same key twice.
  EXPECT_FALSE(ApiKeys::parse(std::string(kHashedLine) + kHashedKey + " again\n").ok());
}

TEST(ApiKeys, AMalformedHashIsRefused) {
  EXPECT_FALSE(ApiKeys::parse("sha256:befb5785\n").ok());
  EXPECT_FALSE(ApiKeys::parse("sha256:" + std::string(64, 'g') + "\n").ok());
  EXPECT_FALSE(ApiKeys::parse("sha256:" + std::string(66, 'a') + "\n").ok());
}

}  // namespace
}  // namespace image_resize::http
