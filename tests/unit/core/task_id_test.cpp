#include "core/task_id.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace image_resize::core {
namespace {

TEST(TaskId, GeneratesCanonicalVersion4Uuids) {
  const TaskId id = TaskId::generate();
  const std::string& text = id.str();
  ASSERT_EQ(text.size(), 36u);
  EXPECT_EQ(text[8], '-');
  EXPECT_EQ(text[13], '-');
  EXPECT_EQ(text[14], '4') << text;                                          // version nibble
  EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;  // RFC 4122 variant
  EXPECT_EQ(TaskId::parse(text), id);
}

TEST(TaskId, GeneratedIdsAreUniqueAcrossThreads) {
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& ids : per_thread) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 5000; ++i) ids.push_back(TaskId::generate().str());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& ids : per_thread) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), 20000u);
}

TEST(TaskId, ParseNormalisesCase) {
  auto id = TaskId::parse("C4AC4A34-40A2-4750-A158-767C2C68164D");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->str(), "c4ac4a34-40a2-4750-a158-767c2c68164d");
}

struct BadId {
  std::string name;
  std::string text;
};

class TaskIdRejects : public ::testing::TestWithParam<BadId> {};

TEST_P(TaskIdRejects, NonCanonicalText) { EXPECT_FALSE(TaskId::parse(GetParam().text)); }

INSTANTIATE_TEST_SUITE_P(
    Cases, TaskIdRejects,
    ::testing::Values(BadId{"empty", ""}, BadId{"short", "c4ac4a34-40a2-4750-a158-767c2c68164"},
                      BadId{"long", "c4ac4a34-40a2-4750-a158-767c2c68164dd"},
                      BadId{"no_dashes", "c4ac4a3440a24750a158767c2c68164d0000"},
                      BadId{"non_hex", "g4ac4a34-40a2-4750-a158-767c2c68164d"},
                      BadId{"traversal", "../../../../etc/passwd/aaaaaaaaaaaaaa"},
                      BadId{"dash_moved", "c4ac4a3-440a2-4750-a158-767c2c68164d"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace image_resize::core
