// SqliteDatabase: the file it creates, schema versions, transactions, and readers that are not
// held up by a writer.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tasks/sqlite/sqlite_schema.h"
#include "unit/tasks/sqlite/sqlite_test_support.h"

namespace image_resize::tasks {
namespace {

using Clock = std::chrono::steady_clock;

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_.path() / "tasks.db"; }

  std::shared_ptr<SqliteDatabase> open(SqliteDatabaseConfig config = {}) {
    config.path = db_path();
    auto database = SqliteDatabase::open(config);
    EXPECT_TRUE(database.ok()) << database.error().log_message();
    return database.ok() ? *database : nullptr;
  }

 private:
  testing::TempDir dir_;
};

TEST_F(SqliteDatabaseTest, OpenCreatesTheFileInWalModeAtTheCurrentSchemaVersion) {
  ASSERT_NE(open(), nullptr);
  EXPECT_TRUE(std::filesystem::exists(db_path()));
  EXPECT_EQ(raw_sql(db_path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_sql(db_path(), "PRAGMA user_version"),
            std::to_string(SqliteDatabase::kSchemaVersion));
  EXPECT_EQ(raw_sql(db_path(),
                    "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema "
                    "WHERE type = 'table' ORDER BY name)"),
            "batches,idempotent_answers,input_users,queue,result_users,reusable_results,tasks,"
            "webhooks,worker_controls,workers");
}

TEST_F(SqliteDatabaseTest, OpeningAnExistingFileAgainKeepsItsRows) {
  ASSERT_NE(open(), nullptr);
  raw_sql(db_path(),
          "INSERT INTO tasks (id, state, fit, format, quality, priority, input_format, "
          "created_at, expires_at, attempts, owner) VALUES ('x', 'PENDING', 'fill', "
          "'same', 80, 'normal', 'png', 0, 0, 0, '')");
  ASSERT_NE(open(), nullptr);
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM tasks"), "1");
}

// Writes the file a build of schema version `version` (3 or later) left: a queued task and a
// failed one, with the columns version 3 has.
void write_old_file(const std::filesystem::path& path, int version, const core::TaskId& queued,
                    const core::TaskId& failed) {
  auto connection = SqliteConnection::open(path, 5s);
  ASSERT_TRUE(connection.ok()) << connection.error().log_message();
  ASSERT_TRUE((*connection)->execute("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(migrate_schema(**connection, version).ok());
  const std::string expires = std::to_string(core::to_unix_ms(core::now() + 1h));
  const std::string columns =
      "INSERT INTO tasks (id, state, width, fit, format, quality, priority, input_format, "
      "created_at, finished_at, expires_at, attempts, failure_code, failure_message, owner, "
      "output_etag) VALUES ";
  const std::string rows =
      columns + "('" + queued.str() + "', 'PENDING', 640, 'fill', 'same', 80, 'normal', 'jpeg', " +
      "1000, NULL, " + expires + ", 0, NULL, NULL, 'key-a', NULL), ('" + failed.str() +
      "', 'FAILURE', 320, 'fill', 'same', 80, 'normal', 'png', 1000, 2000, " + expires + ", 1, '" +
      std::string(core::to_string(core::ErrorCode::decode_failed)) + "', 'truncated', '', NULL);" +
      "INSERT INTO queue (task_id, priority) VALUES ('" + queued.str() + "', 1);";
  ASSERT_TRUE((*connection)->execute(rows.c_str()).ok());
  ASSERT_TRUE((*connection)->execute("COMMIT").ok());
}

class SqliteMigration : public ::testing::TestWithParam<int> {};

TEST_P(SqliteMigration, AnOldFileWithTasksOpensAtTheCurrentVersionWithItsTasksIntact) {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "tasks.db";
  const core::TaskId queued = core::TaskId::generate();
  const core::TaskId failed = core::TaskId::generate();
  write_old_file(path, GetParam(), queued, failed);
  ASSERT_EQ(raw_sql(path, "PRAGMA user_version"), std::to_string(GetParam()));

  SqliteHandles handles = SqliteHandles::open(path);
  ASSERT_TRUE(handles.ok());
  EXPECT_EQ(raw_sql(path, "PRAGMA user_version"), std::to_string(SqliteDatabase::kSchemaVersion));
  auto pending = handles.store->get(queued);
  ASSERT_TRUE(pending.ok() && pending->has_value());
  EXPECT_EQ((*pending)->state, core::TaskState::pending);
  EXPECT_EQ((*pending)->spec.width, 640);
  EXPECT_EQ((*pending)->owner, "key-a");
  EXPECT_EQ((*pending)->source_url, "");
  EXPECT_EQ((*pending)->callback_url, "");
  EXPECT_EQ((*pending)->webhook, std::nullopt);
  // A task from before batches belongs to none and reads its own input.
  EXPECT_EQ((*pending)->batch_id, std::nullopt);
  EXPECT_EQ((*pending)->input_id, std::nullopt);
  EXPECT_EQ((*pending)->variant, "");
  // A task from before reused results reads its own result and is never reused.
  EXPECT_EQ((*pending)->result_id, std::nullopt);
  EXPECT_EQ((*pending)->content_key, "");
  // Options added later read as their defaults.
  core::ResizeSpec asked;
  asked.width = 640;
  EXPECT_EQ((*pending)->spec, asked);
  auto failure = handles.store->get(failed);
  ASSERT_TRUE(failure.ok() && failure->has_value());
  EXPECT_EQ((*failure)->failure,
            (core::TaskFailure{core::ErrorCode::decode_failed, "truncated", 0}));
  EXPECT_EQ((*failure)->finished_at, core::from_unix_ms(2000));

  // Still queued, and finishing it owes no webhook (it has no callback_url).
  auto leased = handles.queue->lease("worker-1", 0ms);
  ASSERT_TRUE(leased.ok() && leased->has_value());
  EXPECT_EQ((*leased)->task_id, queued);
  ASSERT_TRUE(handles.store->mark_succeeded(queued, {}, core::now()).ok());
  EXPECT_EQ(raw_sql(path, "SELECT count(*) FROM webhooks"), "0");

  // Batches can be stored next to the old tasks.
  const testing::PendingBatch batch = testing::pending_batch(1, {{"thumb"}, {"large"}});
  ASSERT_TRUE(handles.store->create_batch(batch.record, batch.tasks).ok());
  auto stored = handles.store->get_batch(batch.record.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, batch.record);

  // So can an upload's Idempotency-Key answer.
  const core::TaskRecord answered = testing::pending_task(core::Priority::normal, core::now() + 1h);
  const core::IdempotentAnswer answer{.owner = "key-a",
                                      .key = "retry-1",
                                      .fingerprint = "f",
                                      .location = "/api/v1/status/" + answered.id.str(),
                                      .body = "{}",
                                      .expires_at = core::now() + 1h};
  auto created = handles.store->create_answered(answer, std::nullopt, {answered});
  ASSERT_TRUE(created.ok()) << created.error().log_message();
  auto found = handles.store->find_answer("key-a", "retry-1", core::now());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->location, answer.location);

  // Results can be reused next to the old tasks.
  core::TaskRecord keyed = testing::pending_task();
  keyed.content_key = std::string(64, 'a');
  ASSERT_TRUE(handles.store->create(keyed).ok());
  ASSERT_TRUE(handles.store->mark_succeeded(keyed.id, {}, core::now()).ok());
  auto reusable = handles.store->find_result(keyed.content_key);
  ASSERT_TRUE(reusable.ok() && reusable->has_value());
  EXPECT_EQ((*reusable)->result_id, keyed.id);
}

INSTANTIATE_TEST_SUITE_P(FromVersion, SqliteMigration, ::testing::Values(3, 4, 5, 6, 7, 8, 9));

TEST_F(SqliteDatabaseTest, AFileFromANewerBuildIsRefused) {
  ASSERT_NE(open(), nullptr);
  raw_sql(db_path(), "PRAGMA user_version = 99");
  auto database = SqliteDatabase::open({.path = db_path()});
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.error().code, core::ErrorCode::internal);
  EXPECT_NE(database.error().internal_message.find("schema version 99"), std::string::npos)
      << database.error().internal_message;
}

TEST_F(SqliteDatabaseTest, OpenFailsWhenTheDirectoryIsMissing) {
  auto database = SqliteDatabase::open({.path = db_path().parent_path() / "missing" / "tasks.db"});
  ASSERT_FALSE(database.ok());
  EXPECT_NE(database.error().internal_message.find("missing"), std::string::npos)
      << database.error().internal_message;
}

TEST_F(SqliteDatabaseTest, AFailedWriteBodyIsRolledBack) {
  auto database = open();
  ASSERT_NE(database, nullptr);
  auto status = database->write([](SqliteConnection& connection) -> core::Status {
    auto done = connection.execute(
        "INSERT INTO tasks (id, state, fit, format, quality, priority, input_format, created_at, "
        "expires_at, attempts, owner) VALUES ('x', 'PENDING', 'fill', 'same', 80, 'normal', "
        "'png', 0, 0, 0, '')");
    if (!done.ok()) return done;
    return core::Error::make(core::ErrorCode::internal, "boom");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().public_message, "boom");
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM tasks"), "0");
}

TEST_F(SqliteDatabaseTest, ReadsAreNotHeldUpByAWriteInProgress) {
  auto database = open();
  ASSERT_NE(database, nullptr);
  std::promise<void> writing;
  auto writer = std::async(std::launch::async, [&] {
    return database->write([&](SqliteConnection& connection) -> core::Status {
      auto done = connection.execute("UPDATE queue SET delivery = 1");
      writing.set_value();
      std::this_thread::sleep_for(500ms);  // the write transaction stays open
      return done;
    });
  });
  writing.get_future().wait();
  const auto start = Clock::now();
  auto status = database->read([](SqliteConnection& connection) {
    auto count = connection.query_int64("SELECT count(*) FROM tasks");
    return count.ok() ? core::Status() : core::Status(count.error());
  });
  EXPECT_TRUE(status.ok());
  EXPECT_LT(Clock::now() - start, 250ms);
  EXPECT_TRUE(writer.get().ok());
}

TEST_F(SqliteDatabaseTest, MoreConcurrentReadsThanReaderConnectionsAllSucceed) {
  auto database = open({.path = "", .max_readers = 2});
  ASSERT_NE(database, nullptr);
  std::vector<std::future<bool>> readers;
  readers.reserve(8);
  for (int i = 0; i < 8; ++i) {
    readers.push_back(std::async(std::launch::async, [&] {
      bool all_ok = true;
      for (int j = 0; j < 50; ++j) {
        all_ok &= database
                      ->read([](SqliteConnection& connection) {
                        auto count = connection.query_int64("SELECT count(*) FROM queue");
                        return count.ok() ? core::Status() : core::Status(count.error());
                      })
                      .ok();
      }
      return all_ok;
    }));
  }
  for (auto& reader : readers) EXPECT_TRUE(reader.get());
}

// Inserts one task row named `id` with the given durability (the default when none).
void insert_task(SqliteDatabase& database, const std::string& id, std::optional<Commit> commit) {
  const std::string insert =
      "INSERT INTO tasks (id, state, fit, format, quality, priority, input_format, created_at, "
      "expires_at, attempts, owner) VALUES ('" +
      id + "', 'PENDING', 'fill', 'same', 80, 'normal', 'png', 0, 0, 0, '')";
  const auto body = [&](SqliteConnection& connection) {
    return connection.execute(insert.c_str());
  };
  const core::Status status = commit ? database.write(body, *commit) : database.write(body);
  EXPECT_TRUE(status.ok()) << status.error().log_message();
}

TEST_F(SqliteDatabaseTest, ADurableWriteSyncsTheWalBeforeItReturnsADeferredOneDoesNot) {
  auto database = open();
  ASSERT_NE(database, nullptr);
  const std::uint64_t before = database->wal_syncs();
  insert_task(*database, "a", std::nullopt);
  EXPECT_EQ(database->wal_syncs(), before + 1) << "durable by default";
  insert_task(*database, "b", Commit::deferred);
  insert_task(*database, "c", Commit::deferred);
  EXPECT_EQ(database->wal_syncs(), before + 1);
  insert_task(*database, "d", Commit::durable);
  EXPECT_EQ(database->wal_syncs(), before + 2);
  // The writer commits without a sync of its own: the sync is the one counted above.
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM tasks"), "4");
}

TEST_F(SqliteDatabaseTest, ConcurrentDurableWritesAllLandWithAtMostOneSyncEach) {
  auto database = open();
  ASSERT_NE(database, nullptr);
  const std::uint64_t before = database->wal_syncs();
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 25;
  std::vector<std::thread> writers;
  writers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        insert_task(*database, std::to_string(t) + "-" + std::to_string(i), Commit::durable);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  const std::uint64_t syncs = database->wal_syncs() - before;
  RecordProperty("wal_syncs", std::to_string(syncs));  // how much they shared, for the record
  EXPECT_GE(syncs, 1U);
  EXPECT_LE(syncs, static_cast<std::uint64_t>(kThreads * kWritesEach));
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM tasks"),
            std::to_string(kThreads * kWritesEach));
}

TEST_F(SqliteDatabaseTest, ADeferredCommitIsSeenAtOnceAndSurvivesTheProcess) {
  auto database = open();
  ASSERT_NE(database, nullptr);
  const char* insert =
      "INSERT INTO tasks (id, state, fit, format, quality, priority, input_format, created_at, "
      "expires_at, attempts, owner) VALUES ('x', 'PENDING', 'fill', 'same', 80, 'normal', "
      "'png', 0, 0, 0, '')";
  // A child process commits deferred and dies without closing the file or checkpointing.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto in_child = SqliteDatabase::open({.path = db_path()});
    const bool written =
        in_child.ok() &&
        (*in_child)
            ->write([&](SqliteConnection& connection) { return connection.execute(insert); },
                    Commit::deferred)
            .ok();
    ::_exit(written ? 0 : 1);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  std::int64_t rows = -1;
  ASSERT_TRUE(database
                  ->read([&](SqliteConnection& connection) -> core::Status {
                    auto count = connection.query_int64("SELECT count(*) FROM tasks");
                    if (!count.ok()) return count.error();
                    rows = *count;
                    return {};
                  })
                  .ok());
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(raw_sql(db_path(), "SELECT count(*) FROM tasks"), "1");
}

struct InvalidDatabaseConfig {
  std::string name;
  SqliteDatabaseConfig config;
};

class SqliteDatabaseConfigTest : public ::testing::TestWithParam<InvalidDatabaseConfig> {};

TEST_P(SqliteDatabaseConfigTest, IsRefused) {
  EXPECT_FALSE(GetParam().config.validate().ok());
  EXPECT_FALSE(SqliteDatabase::open(GetParam().config).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Invalid, SqliteDatabaseConfigTest,
    ::testing::Values(InvalidDatabaseConfig{"EmptyPath", {.path = ""}},
                      InvalidDatabaseConfig{"NegativeBusyTimeout",
                                            {.path = "x.db", .busy_timeout = -1ms}},
                      InvalidDatabaseConfig{"NoReaders", {.path = "x.db", .max_readers = 0}}),
    [](const auto& test) { return test.param.name; });

TEST(SqliteDatabaseConfig, TheDefaultsWithAPathAreValid) {
  EXPECT_TRUE(SqliteDatabaseConfig{.path = "tasks.db"}.validate().ok());
}

}  // namespace
}  // namespace image_resize::tasks
