// With appendonly yes and appendfsync always, what create() and the queue calls acknowledged
// survives a kill -9 of Redis: task records, queue entries, leases and their delivery counts.

#include <set>
#include <thread>

#include "redis_test_support.h"
#include "tasks/redis/redis_task_queue.h"
#include "tasks/redis/redis_task_store.h"

namespace image_resize::tasks {
namespace {

using namespace redis_test;

TEST(RedisDurability, TasksAndQueueEntriesSurviveAKillDashNine) {
  testing::RedisServer server({.appendonly = true, .fsync_always = true});
  ASSERT_TRUE(server.started());
  RedisConfig config = config_for(server);
  config.lease_duration = 300ms;
  auto client = open_client(config);
  ASSERT_NE(client, nullptr);
  RedisTaskStore store(client);
  RedisTaskQueue queue(client);

  std::vector<core::TaskRecord> tasks;
  for (int i = 0; i < 30; ++i) {
    tasks.push_back(pending_task(static_cast<core::Priority>(i % 3)));
    ASSERT_TRUE(store.create(tasks.back()).ok());
  }
  // One finished and acked, one leased (by a worker that dies with Redis), the rest waiting.
  auto done = queue.lease("worker-1", 0ms);
  ASSERT_TRUE(done.ok() && done->has_value());
  const core::TaskOutput output{.width = 10, .height = 20, .bytes = 1234, .etag = "\"x\""};
  ASSERT_TRUE(store.mark_started((*done)->task_id, 1, core::now()).ok());
  ASSERT_TRUE(store.mark_succeeded((*done)->task_id, output, core::now()).ok());
  ASSERT_TRUE(queue.ack(**done).ok());
  auto in_flight = queue.lease("worker-2", 0ms);
  ASSERT_TRUE(in_flight.ok() && in_flight->has_value());

  server.kill9();
  ASSERT_TRUE(server.restart());

  for (const core::TaskRecord& task : tasks) {
    auto found = store.get(task.id);
    ASSERT_TRUE(found.ok()) << found.error().log_message();
    ASSERT_TRUE(found->has_value()) << "lost task " << task.id.str();
    EXPECT_EQ((*found)->spec, task.spec);
    EXPECT_EQ((*found)->expires_at, task.expires_at);
  }
  auto finished = store.get((*done)->task_id);
  ASSERT_TRUE(finished.ok() && finished->has_value());
  EXPECT_EQ((*finished)->state, core::TaskState::success);
  EXPECT_EQ((*finished)->output, output);

  auto depth = queue.depth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->total(), 29u);

  // Every unfinished task is handed out once; the one leased before the crash comes back when
  // its lease expires, as its second delivery.
  std::this_thread::sleep_for(config.lease_duration + 100ms);
  std::set<core::TaskId> leased;
  while (true) {
    auto lease = queue.lease("worker-3", 0ms);
    ASSERT_TRUE(lease.ok()) << lease.error().log_message();
    if (!lease->has_value()) break;
    EXPECT_TRUE(leased.insert((*lease)->task_id).second) << "leased twice";
    const bool was_in_flight = (*lease)->task_id == (*in_flight)->task_id;
    EXPECT_EQ((*lease)->delivery, was_in_flight ? 2 : 1);
    ASSERT_TRUE(queue.ack(**lease).ok());
  }
  EXPECT_EQ(leased.size(), 29u);
  EXPECT_FALSE(leased.contains((*done)->task_id));
}

TEST(RedisDurability, TheExpiryIndexSurvivesAKillDashNine) {
  testing::RedisServer server({.appendonly = true, .fsync_always = true});
  ASSERT_TRUE(server.started());
  auto client = open_client(config_for(server));
  ASSERT_NE(client, nullptr);
  RedisTaskStore store(client);
  const core::TaskRecord expired = pending_task(core::Priority::normal, core::now() - 1s);
  ASSERT_TRUE(store.create(expired).ok());

  server.kill9();
  ASSERT_TRUE(server.restart());
  auto removed = store.remove_expired(core::now(), 10);
  ASSERT_TRUE(removed.ok()) << removed.error().log_message();
  EXPECT_EQ(*removed, (std::vector<ExpiredTask>{{expired.id, expired.id}}));
}

}  // namespace
}  // namespace image_resize::tasks
