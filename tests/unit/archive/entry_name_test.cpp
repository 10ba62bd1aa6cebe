// safe_entry_name and EntryNames: names safe to extract anywhere, and unique in one archive.
#include "archive/entry_name.h"

#include <gtest/gtest.h>

#include <string>

namespace image_resize::archive {
namespace {

struct NameCase {
  const char* label;
  std::string input;
  std::string expected;
};

class SafeEntryName : public ::testing::TestWithParam<NameCase> {};

TEST_P(SafeEntryName, Replaces) {
  EXPECT_EQ(safe_entry_name(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Names, SafeEntryName,
    ::testing::Values(NameCase{"plain", "photo-thumb.jpg", "photo-thumb.jpg"},
                      NameCase{"utf8_kept", "été-small.webp", "été-small.webp"},
                      NameCase{"parent_dirs", "../../etc/passwd", "____etc_passwd"},
                      NameCase{"absolute", "/tmp/x.png", "_tmp_x.png"},
                      NameCase{"backslash", "dir\\x.png", "dir_x.png"},
                      NameCase{"dot_dot_inside", "a..b...c.jpg", "a_b_c.jpg"},
                      NameCase{"leading_dot", ".hidden.png", "_hidden.png"},
                      NameCase{"only_dot_dot", "..", "_"},
                      NameCase{"windows_reserved", "a:b*c?\"<>|.jpg", "a_b_c_____.jpg"},
                      NameCase{"control", std::string("a\nb\0c.jpg", 9), "a_b_c.jpg"},
                      NameCase{"empty", "", "file"}),
    [](const ::testing::TestParamInfo<NameCase>& param) { return param.param.label; });

TEST(SafeEntryName, CutsALongNameBeforeItsExtension) {
  std::string name = safe_entry_name(std::string(300, 'a') + ".jpeg");
  EXPECT_EQ(name.size(), kMaxEntryNameBytes);
  EXPECT_EQ(name.substr(name.size() - 5), ".jpeg");
}

TEST(SafeEntryName, DoesNotCutAUtf8CharacterInTwo) {
  std::string long_utf8 = "a";
  for (int i = 0; i < 150; ++i) long_utf8 += "é";  // 2 bytes each
  std::string name = safe_entry_name(long_utf8 + ".png");
  EXPECT_LE(name.size(), kMaxEntryNameBytes);
  EXPECT_EQ(name.substr(name.size() - 4), ".png");
  std::string stem = name.substr(1, name.size() - 5);
  EXPECT_EQ(stem.size() % 2, 0u) << "a whole number of é";
}

TEST(EntryNames, NumbersARepeatedNameBeforeItsExtension) {
  EntryNames names;
  EXPECT_EQ(names.claim("a.jpg"), "a.jpg");
  EXPECT_EQ(names.claim("a.jpg"), "a-2.jpg");
  EXPECT_EQ(names.claim("A.JPG"), "A-3.JPG") << "letter case aside";
  EXPECT_EQ(names.claim("a-2.jpg"), "a-2-2.jpg") << "a name given out already counts";
  EXPECT_EQ(names.claim("noext"), "noext");
  EXPECT_EQ(names.claim("noext"), "noext-2");
  EXPECT_EQ(names.claim("/a.jpg"), "_a.jpg");
  EXPECT_EQ(names.claim(":a.jpg"), "_a-2.jpg") << "unique after it is made safe";
}

}  // namespace
}  // namespace image_resize::archive
