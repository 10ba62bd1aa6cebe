#include "isolation/wire.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace image_resize::isolation {
namespace {

using namespace std::chrono_literals;

// Both ends of a Unix socket pair, closed at the end of the test.
class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends_), 0); }
  ~SocketPair() {
    close_writer();
    ::close(ends_[1]);
  }
  int writer() const { return ends_[0]; }
  int reader() const { return ends_[1]; }
  void close_writer() {
    if (ends_[0] >= 0) ::close(ends_[0]);
    ends_[0] = -1;
  }

 private:
  int ends_[2] = {-1, -1};
};

TEST(Wire, AMessageArrivesWholeWithItsHeaderAndPayload) {
  SocketPair pair;
  // Larger than a socket buffer: the writer blocks until the reader drains it.
  std::string payload(5 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 131 % 251);
  std::thread writer([&] {
    EXPECT_TRUE(write_message(pair.writer(), {{"kind", "test"}, {"n", 7}}, payload).ok());
    EXPECT_TRUE(write_message(pair.writer(), {{"kind", "second"}}, "").ok());
  });
  ReadEnd end{};
  auto first = read_message(pair.reader(), std::nullopt, &end);
  auto second = read_message(pair.reader(), std::chrono::steady_clock::now() + 10s, &end);
  writer.join();
  ASSERT_TRUE(first.ok()) << first.error().log_message();
  EXPECT_EQ(first->header["kind"], "test");
  EXPECT_EQ(first->header["n"], 7);
  EXPECT_TRUE(first->payload == payload);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->header["kind"], "second");
  EXPECT_TRUE(second->payload.empty());
}

// A file crosses as a descriptor: the reader gets its own, open on the same file, even after
// the writer closed its copy and the file's name is gone.
TEST(Wire, ADescriptorSentWithAMessageArrivesOpenOnTheSameFile) {
  SocketPair pair;
  char path[] = "/tmp/wire-test-XXXXXX";
  const int file = ::mkstemp(path);
  ASSERT_GE(file, 0);
  const std::string contents = "the bytes of an input image";
  ASSERT_EQ(::write(file, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
  ::unlink(path);
  ASSERT_TRUE(write_message(pair.writer(), {{"kind", "with file"}}, "", file).ok());
  ::close(file);
  ASSERT_TRUE(write_message(pair.writer(), {{"kind", "without"}}, "payload").ok());

  ReadEnd end{};
  auto with_file = read_message(pair.reader(), std::chrono::steady_clock::now() + 10s, &end);
  auto without = read_message(pair.reader(), std::chrono::steady_clock::now() + 10s, &end);
  ASSERT_TRUE(with_file.ok()) << with_file.error().log_message();
  EXPECT_EQ(with_file->header["kind"], "with file");
  ASSERT_TRUE(with_file->fd.valid());
  std::string read_back(contents.size(), '\0');
  EXPECT_EQ(::pread(with_file->fd.get(), read_back.data(), read_back.size(), 0),
            static_cast<ssize_t>(contents.size()));
  EXPECT_EQ(read_back, contents);
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->fd.valid());
  EXPECT_EQ(without->payload, "payload");
}

TEST(Wire, APeerThatClosesMidMessageReadsAsClosed) {
  SocketPair pair;
  const std::string lengths("\x05\0\0\0\0\0\0\0\x10\0\0\0\0\0\0\0", 16);
  ASSERT_EQ(::write(pair.writer(), lengths.data(), lengths.size()), 16);
  ASSERT_EQ(::write(pair.writer(), "{\"a\"", 4), 4);
  pair.close_writer();
  ReadEnd end = ReadEnd::timed_out;
  auto message = read_message(pair.reader(), std::chrono::steady_clock::now() + 10s, &end);
  EXPECT_FALSE(message.ok());
  EXPECT_EQ(end, ReadEnd::closed);
}

TEST(Wire, NothingBeforeTheDeadlineReadsAsTimedOut) {
  SocketPair pair;
  ReadEnd end = ReadEnd::closed;
  const auto started = std::chrono::steady_clock::now();
  auto message = read_message(pair.reader(), started + 100ms, &end);
  EXPECT_FALSE(message.ok());
  EXPECT_EQ(end, ReadEnd::timed_out);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 100ms);
}

TEST(Wire, ImpossibleLengthsOrAHeaderThatIsNotJsonAreMalformed) {
  {
    SocketPair pair;
    const std::string lengths(16, '\xFF');
    ASSERT_EQ(::write(pair.writer(), lengths.data(), lengths.size()), 16);
    ReadEnd end = ReadEnd::closed;
    EXPECT_FALSE(read_message(pair.reader(), std::nullopt, &end).ok());
    EXPECT_EQ(end, ReadEnd::malformed);
  }
  {
    SocketPair pair;
    const std::string message("\x03\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0{{{", 19);
    ASSERT_EQ(::write(pair.writer(), message.data(), message.size()), 19);
    ReadEnd end = ReadEnd::closed;
    EXPECT_FALSE(read_message(pair.reader(), std::nullopt, &end).ok());
    EXPECT_EQ(end, ReadEnd::malformed);
  }
}

TEST(Wire, WritingToAClosedPeerIsAnErrorNotASignal) {
  SocketPair pair;
  int ends[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
  ::close(ends[1]);
  EXPECT_FALSE(write_message(ends[0], {{"x", 1}}, std::string(1 << 20, 'x')).ok());
  ::close(ends[0]);
}

TEST(Wire, InvalidUtf8InAHeaderIsReplacedNotThrown) {
  SocketPair pair;
  ASSERT_TRUE(
      write_message(pair.writer(), {{"message", std::string("bad \xC3\x28 byte")}}, "").ok());
  auto message = read_message(pair.reader(), std::nullopt, nullptr);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->header["message"].get<std::string>().substr(0, 4), "bad ");
}

}  // namespace
}  // namespace image_resize::isolation
