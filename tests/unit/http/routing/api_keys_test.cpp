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
  EXPECT_EQ(*keys->authenticate("Bearer alice-0123456789abcdef"), "alice");
  EXPECT_EQ(*keys->authenticate("bearer bob-0123456789abcdef"), "Bob the builder");
  // A key without a name gets one that does not reveal it.
  const std::string nameless = *keys->authenticate("Bearer nameless-0123456789ab");
  EXPECT_TRUE(nameless.starts_with("key-")) << nameless;
  EXPECT_EQ(nameless.find("nameless"), std::string::npos);
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

}  // namespace
}  // namespace image_resize::http
