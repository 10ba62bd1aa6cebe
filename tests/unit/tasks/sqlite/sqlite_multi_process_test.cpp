// Two processes on one database file (as `api` and a worker process on one data dir): a forked
// child opens the file itself and works with the parent through SQLite's file locks alone.
// Neither process carries an open connection across fork(), as SQLite requires.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "unit/tasks/sqlite/sqlite_test_support.h"

namespace image_resize::tasks {
namespace {

// Runs `child` in a forked process and returns its exit code (or -1 when it did not exit).
// The child must not use GoogleTest assertions: its failures would be lost with it.
template <class Child>
pid_t start_child(Child child) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(child());
  return pid;
}

int wait_for_child(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

class SqliteMultiProcessTest : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_.path() / "tasks.db"; }

 private:
  testing::TempDir dir_;
};

TEST_F(SqliteMultiProcessTest, TasksCreatedByAChildReachAParentBlockedInLease) {
  std::vector<core::TaskRecord> tasks;
  tasks.reserve(5);
  for (int i = 0; i < 5; ++i) tasks.push_back(pending_task());

  const pid_t child = start_child([&] {
    ::usleep(300'000);  // let the parent block first
    auto database = SqliteDatabase::open({.path = db_path()});
    if (!database.ok()) return 10;
    SqliteTaskStore store(*database);
    for (const auto& task : tasks) {
      if (!store.create(task).ok()) return 11;
      ::usleep(50'000);
    }
    return 0;
  });
  ASSERT_GT(child, 0);

  auto parent = SqliteHandles::open(db_path(), {.poll_interval = 100ms});
  ASSERT_TRUE(parent.ok());
  std::vector<core::TaskId> leased;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto lease = parent.queue->lease("parent", 10s);
    ASSERT_TRUE(lease.ok()) << lease.error().log_message();
    ASSERT_TRUE(lease->has_value()) << "lease " << i << " found nothing";
    leased.push_back((*lease)->task_id);
    ASSERT_TRUE(parent.queue->ack(**lease).ok());
  }
  EXPECT_EQ(wait_for_child(child), 0);
  std::vector<core::TaskId> expected;
  expected.reserve(tasks.size());
  for (const auto& task : tasks) expected.push_back(task.id);
  EXPECT_EQ(leased, expected);
}

TEST_F(SqliteMultiProcessTest, ParentAndChildLeasingAtOnceGetEachTaskExactlyOnce) {
  constexpr int kTasks = 200;
  std::set<core::TaskId> created;
  {
    auto setup = SqliteHandles::open(db_path());
    ASSERT_TRUE(setup.ok());
    for (int i = 0; i < kTasks; ++i) {
      const core::TaskRecord task = pending_task(static_cast<core::Priority>(i % 3));
      ASSERT_TRUE(setup.store->create(task).ok());
      created.insert(task.id);
    }
  }  // closed before fork()

  int ready[2];
  int results[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(results), 0);
  // Leases every task it can and writes their ids to `out`, one per line.
  auto drain = [&](const char* consumer, int out) {
    auto handles = SqliteHandles::open(db_path());
    if (!handles.ok()) return 20;
    if (out == results[1] && ::write(ready[1], "r", 1) != 1) return 21;
    while (true) {
      auto lease = handles.queue->lease(consumer, 0ms);
      if (!lease.ok()) return 22;
      if (!lease->has_value()) return 0;
      if ((*lease)->delivery != 1 || !handles.queue->ack(**lease).ok()) return 23;
      const std::string line = (*lease)->task_id.str() + "\n";
      if (::write(out, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 24;
      // The "work": a worker spends time between leases. Without it, one process's back-to-back
      // write transactions can keep the other's busy handler from ever finding the lock free
      // (SQLite's file locks are not fair), and this test would show nothing interleaving.
      ::usleep(1000);
    }
  };
  const pid_t child = start_child([&] { return drain("child", results[1]); });
  ASSERT_GT(child, 0);
  ::close(results[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1) << "the child could not open the database";

  int parent_pipe[2];
  ASSERT_EQ(::pipe(parent_pipe), 0);
  const int parent_status = drain("parent", parent_pipe[1]);
  ::close(parent_pipe[1]);
  const std::string parent_ids = read_all(parent_pipe[0]);
  const std::string child_ids = read_all(results[0]);
  EXPECT_EQ(parent_status, 0);
  EXPECT_EQ(wait_for_child(child), 0);
  for (int fd : {ready[0], ready[1], results[0], parent_pipe[0]}) ::close(fd);

  std::multiset<std::string> leased;
  std::size_t parent_count = 0;
  for (const std::string* ids : {&parent_ids, &child_ids}) {
    for (std::size_t at = 0; at + 37 <= ids->size(); at += 37) {
      leased.insert(ids->substr(at, 36));
      if (ids == &parent_ids) ++parent_count;
    }
  }
  std::set<std::string> expected;
  for (const auto& id : created) expected.insert(id.str());
  EXPECT_EQ(leased.size(), expected.size()) << "a task was leased twice or not at all";
  EXPECT_EQ(std::set<std::string>(leased.begin(), leased.end()), expected);
  EXPECT_GT(parent_count, 0u);
  EXPECT_LT(parent_count, static_cast<std::size_t>(kTasks)) << "the child leased nothing";
}

}  // namespace
}  // namespace image_resize::tasks
