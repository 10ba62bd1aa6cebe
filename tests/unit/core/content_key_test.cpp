#include "core/content_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sha256.h"

namespace image_resize::core {
namespace {

ResizeSpec spec_640() {
  ResizeSpec spec;
  spec.width = 640;
  return spec;
}

TEST(Sha256Test, IsTheKnownDigestInLowercaseHex) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ContentKeyTest, EqualInputsMakeEqualKeys) {
  const std::string bytes = sha256_hex("the image");
  EXPECT_EQ(content_key("alice", bytes, spec_640()), content_key("alice", bytes, spec_640()));
  EXPECT_EQ(content_key("alice", bytes, spec_640()).size(), 64u);
}

TEST(ContentKeyTest, TheOwnerTheBytesOrAnyOptionMakeADifferentKey) {
  const std::string bytes = sha256_hex("the image");
  const std::string key = content_key("alice", bytes, spec_640());
  EXPECT_NE(content_key("bob", bytes, spec_640()), key);
  EXPECT_NE(content_key("", bytes, spec_640()), key);
  EXPECT_NE(content_key("alice", sha256_hex("another image"), spec_640()), key);

  std::vector<ResizeSpec> others(8, spec_640());
  others[0].width = 641;
  others[1].height = 480;
  others[2].format = OutputFormat::webp;
  others[3].quality = 81;
  others[4].fit = Fit::cover;
  others[5].crop = CropRect{0, 0, 10, 10};
  others[6].format = OutputFormat::automatic;
  others[7] = others[6];
  others[7].accepts.avif = true;
  for (std::size_t i = 0; i < others.size(); ++i) {
    EXPECT_NE(content_key("alice", bytes, others[i]), key) << "option " << i;
  }
  EXPECT_NE(content_key("alice", bytes, others[6]), content_key("alice", bytes, others[7]))
      << "format=auto answers by the formats the client accepts";
}

TEST(ContentKeyTest, ThePriorityChangesWhenATaskRunsNotWhatItMakes) {
  const std::string bytes = sha256_hex("the image");
  ResizeSpec urgent = spec_640();
  urgent.priority = Priority::high;
  EXPECT_EQ(content_key("alice", bytes, urgent), content_key("alice", bytes, spec_640()));
}

TEST(ContentKeyTest, AnOwnerNameCannotRunIntoTheInputHash) {
  const ResizeSpec spec = spec_640();
  EXPECT_NE(content_key("a", "b" + sha256_hex("x"), spec),
            content_key("ab", sha256_hex("x"), spec));
}

}  // namespace
}  // namespace image_resize::core
