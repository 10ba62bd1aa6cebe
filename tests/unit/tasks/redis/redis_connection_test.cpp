// RedisConnection and RedisClient: binary-safe commands, error replies, AUTH and SELECT,
// timeouts, and failures reported as backend_unavailable.

#include "tasks/redis/redis_connection.h"

#include <thread>

#include "redis_test_support.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;

TEST(RedisConnection, ArgumentsAndRepliesAreBinarySafe) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConnection connection(config_for(server));
  const std::string key("key with spaces\r\n\0and a NUL", 28);
  const std::string value("\0\x01\xff binary \r\n", 14);
  ASSERT_TRUE(connection.command({"SET", key, value}).ok());
  auto got = connection.command({"GET", key});
  ASSERT_TRUE(got.ok()) << got.error().log_message();
  EXPECT_EQ(got->kind, RedisReply::Kind::string);
  EXPECT_EQ(got->text, value);
}

TEST(RedisConnection, RepliesKeepTheirKind) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConnection connection(config_for(server));
  auto status = connection.command({"PING"});
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->kind, RedisReply::Kind::status);
  EXPECT_EQ(status->as_text(), "PONG");
  auto integer = connection.command({"RPUSH", "list", "a", "b"});
  ASSERT_TRUE(integer.ok());
  EXPECT_EQ(integer->as_integer(), 2);
  auto array = connection.command({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(array.ok());
  ASSERT_TRUE(array->is_array());
  ASSERT_EQ(array->elements.size(), 2u);
  EXPECT_EQ(array->elements[1].text, "b");
  auto nil = connection.command({"GET", "missing"});
  ASSERT_TRUE(nil.ok());
  EXPECT_TRUE(nil->is_nil());
}

TEST(RedisConnection, AnErrorReplyIsInternalAndKeepsTheConnection) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConnection connection(config_for(server));
  ASSERT_TRUE(connection.command({"SET", "text", "x"}).ok());
  auto wrong = connection.command({"INCR", "text"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::internal);
  EXPECT_NE(wrong.error().internal_message.find("INCR"), std::string::npos);
  EXPECT_NE(wrong.error().internal_message.find("not an integer"), std::string::npos);
  EXPECT_TRUE(connection.connected());
  EXPECT_TRUE(connection.command({"PING"}).ok());
}

TEST(RedisConnection, NobodyListeningIsBackendUnavailableNamingTheServer) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);
  server.kill9();
  RedisConnection connection(config);
  auto reply = connection.command({"PING"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, core::ErrorCode::backend_unavailable);
  EXPECT_NE(reply.error().internal_message.find(config.url.redacted()), std::string::npos)
      << reply.error().internal_message;
  EXPECT_FALSE(connection.connected());
}

TEST(RedisConnection, AuthenticatesWithThePasswordFromTheUrl) {
  testing::RedisServer server({.extra_args = {"--requirepass", "hunter2"}});
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);

  RedisConnection anonymous(config);
  auto refused = anonymous.command({"SET", "k", "v"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::backend_unavailable);  // NOAUTH

  config.url.password = "not-the-password";
  RedisConnection wrong(config);
  auto denied = wrong.command({"PING"});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, core::ErrorCode::backend_unavailable);
  EXPECT_NE(denied.error().internal_message.find("AUTH"), std::string::npos);
  EXPECT_EQ(denied.error().internal_message.find("not-the-password"), std::string::npos);

  config.url.password = "hunter2";
  RedisConnection right(config);
  EXPECT_TRUE(right.command({"SET", "k", "v"}).ok());
}

TEST(RedisConnection, SelectsTheDatabaseOfTheUrl) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConfig db0 = config_for(server);
  RedisConfig db3 = db0;
  db3.url.database = 3;
  RedisConnection zero(db0);
  RedisConnection three(db3);
  ASSERT_TRUE(three.command({"SET", "where", "three"}).ok());
  auto in_zero = zero.command({"GET", "where"});
  ASSERT_TRUE(in_zero.ok());
  EXPECT_TRUE(in_zero->is_nil());
  auto in_three = three.command({"GET", "where"});
  ASSERT_TRUE(in_three.ok());
  EXPECT_EQ(in_three->text, "three");
}

TEST(RedisConnection, ACommandOverItsTimeoutFailsAndTheNextOneReconnects) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);
  config.command_timeout = 200ms;
  RedisConnection connection(config);
  const auto start = std::chrono::steady_clock::now();
  auto slow = connection.command({"BLPOP", "nothing", "2"});  // blocks 2 s in Redis
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, core::ErrorCode::backend_unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_FALSE(connection.connected());
  EXPECT_TRUE(connection.command({"PING"}).ok());
}

TEST(RedisConnection, ABlockingCommandGetsItsBlockTimeOnTopOfTheTimeout) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);
  config.command_timeout = 200ms;
  RedisConnection connection(config);
  auto waited = connection.command({"BLPOP", "nothing", "1"}, 1000ms);
  ASSERT_TRUE(waited.ok()) << waited.error().log_message();
  EXPECT_TRUE(waited->is_nil());
  // And the timeout is back to 200 ms afterwards.
  EXPECT_FALSE(connection.command({"BLPOP", "nothing", "1"}).ok());
}

TEST(RedisClient, ManyThreadsRunCommandsAtOnce) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  auto client = open_client(config_for(server));
  ASSERT_NE(client, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < 200; ++i) EXPECT_TRUE(client->command({"INCR", "counter"}).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(run(*client, {"GET", "counter"}).as_integer(), 1600);
}

TEST(RedisClient, EvalPassesThePrefixAsTheFirstArgument) {
  testing::RedisServer server;
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);
  auto client = open_client(config);
  ASSERT_NE(client, nullptr);
  auto reply = client->eval("return {prefix, ARGV[2], task_key('x')}", {"second"});
  ASSERT_TRUE(reply.ok()) << reply.error().log_message();
  ASSERT_EQ(reply->elements.size(), 3u);
  EXPECT_EQ(reply->elements[0].text, config.key_prefix);
  EXPECT_EQ(reply->elements[1].text, "second");
  EXPECT_EQ(reply->elements[2].text, config.key_prefix + "task:x");
}

TEST(RedisClient, OpenRefusesAnInvalidConfig) {
  EXPECT_FALSE(RedisClient::open(RedisConfig{.key_prefix = ""}).ok());
}

}  // namespace
}  // namespace image_resize::tasks
