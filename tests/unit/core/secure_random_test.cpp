// Task ids come from the kernel's CSPRNG: every random bit is balanced over many ids, and a
// child process after fork never repeats the bytes its parent hands out (a user-space generator,
// or a batch copied by fork, would: the child would issue the parent's next ids).
#include "core/secure_random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <string>
#include <vector>

#include "core/task_id.h"

namespace image_resize::core {
namespace {

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

TEST(SecureRandom, EveryRandomBitOfATaskIdIsSetHalfTheTime) {
  constexpr int kIds = 20'000;
  std::array<int, 128> set{};
  for (int i = 0; i < kIds; ++i) {
    std::string hex = TaskId::generate().str();
    std::erase(hex, '-');
    for (int bit = 0; bit < 128; ++bit) {
      if ((hex_value(hex[static_cast<std::size_t>(bit / 4)]) >> (3 - bit % 4)) & 1) {
        ++set[static_cast<std::size_t>(bit)];
      }
    }
  }
  for (int bit = 0; bit < 128; ++bit) {
    const bool fixed = (bit >= 48 && bit < 52) || bit == 64 || bit == 65;  // version, variant
    if (fixed) continue;
    // 2 points either side of a half is 5.6 standard deviations at 20,000 draws.
    EXPECT_NEAR(set[static_cast<std::size_t>(bit)] / double{kIds}, 0.5, 0.02) << "bit " << bit;
  }
}

TEST(SecureRandom, AForkedChildNeverRepeatsItsParentsBytes) {
  (void)TaskId::generate();  // the parent's batch is drawn, with bytes left in it
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    for (int i = 0; i < 50; ++i) {
      const std::string id = TaskId::generate().str();
      if (::write(pipe_fds[1], id.data(), id.size()) != static_cast<ssize_t>(id.size())) _exit(2);
    }
    _exit(0);
  }
  ::close(pipe_fds[1]);
  std::string from_child;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    from_child.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(from_child.size(), 50U * 36U);

  std::set<std::string> parents;
  for (int i = 0; i < 50; ++i) parents.insert(TaskId::generate().str());
  for (std::size_t i = 0; i < from_child.size(); i += 36) {
    EXPECT_EQ(parents.count(from_child.substr(i, 36)), 0U) << "the child repeated a parent's id";
  }
}

TEST(SecureRandom, FillsRequestsLargerThanABatch) {
  std::vector<unsigned char> bytes(10'000, 0);
  secure_random_bytes(bytes);
  // 10,000 bytes all zero in any 64-byte window is as good as impossible for real randomness.
  for (std::size_t i = 0; i + 64 <= bytes.size(); i += 64) {
    bool all_zero = true;
    for (std::size_t j = i; j < i + 64; ++j) all_zero = all_zero && bytes[j] == 0;
    EXPECT_FALSE(all_zero) << "bytes " << i << ".." << i + 63 << " were not filled";
  }
}

}  // namespace
}  // namespace image_resize::core
