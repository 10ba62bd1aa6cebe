#include "http/request_id.h"

#include <gtest/gtest.h>

#include <regex>

namespace image_resize::http {
namespace {

TEST(RequestId, KeepsAPlainClientToken) {
  EXPECT_EQ(request_id_for("abc-123_X.y"), "abc-123_X.y");
  EXPECT_EQ(request_id_for(std::string(64, 'a')), std::string(64, 'a'));
}

TEST(RequestId, ReplacesAnythingElseWithAFreshRandomId) {
  const std::regex generated("[0-9a-f]{16}");
  for (std::string_view odd : {"", "has space", "new\nline", "quote\"", "ünï", "a/b"}) {
    EXPECT_TRUE(std::regex_match(request_id_for(odd), generated)) << odd;
  }
  EXPECT_TRUE(std::regex_match(request_id_for(std::string(65, 'a')), generated));
  EXPECT_NE(request_id_for(""), request_id_for(""));
}

}  // namespace
}  // namespace image_resize::http
