#include "tasks/sqlite/sqlite_task_queue.h"

#include <algorithm>
#include <random>

#include "core/clock.h"

namespace image_resize::tasks {
namespace {

// 128 random bits as hex: a new owner's token never equals the one a stale worker holds.
std::string new_lease_token() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(32);
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = engine();
    for (int nibble = 0; nibble < 16; ++nibble, bits >>= 4) token.push_back(kHex[bits & 0xF]);
  }
  return token;
}

// Owners of freed leases: why the task is free again (see Reclaim).
constexpr std::string_view kHandedBack = "~handed-back";
constexpr std::string_view kWorkerDead = "~worker-dead";

Reclaim reclaim_reason(std::optional<std::string> previous_owner) {
  if (!previous_owner) return Reclaim::none;
  if (*previous_owner == kHandedBack) return Reclaim::handed_back;
  if (*previous_owner == kWorkerDead) return Reclaim::worker_dead;
  return Reclaim::lease_expired;
}

}  // namespace

core::Result<std::unique_ptr<SqliteTaskQueue>> SqliteTaskQueue::open(
    std::shared_ptr<SqliteDatabase> database, const SqliteQueueConfig& config) {
  if (auto valid = config.validate(); !valid.ok()) return valid.error();
  return std::unique_ptr<SqliteTaskQueue>(new SqliteTaskQueue(std::move(database), config));
}

SqliteTaskQueue::SqliteTaskQueue(std::shared_ptr<SqliteDatabase> database, SqliteQueueConfig config)
    : database_(std::move(database)), config_(config) {}

core::Result<std::optional<Lease>> SqliteTaskQueue::lease(const std::string& consumer,
                                                          std::chrono::milliseconds wait) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::max(wait, std::chrono::milliseconds(0));
  WorkSignal& signal = database_->work_signal();
  while (true) {
    // Read the generation before looking, so work added after the look ends the wait below.
    const std::uint64_t seen = signal.generation();
    if (interrupted_.load()) return std::optional<Lease>();
    auto leased = try_lease(consumer);
    if (!leased.ok() || leased->has_value()) return leased;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::optional<Lease>();
    signal.wait_for_change(seen, std::min(deadline, now + config_.poll_interval));
  }
}

core::Result<bool> SqliteTaskQueue::has_free_entry() {
  bool found = false;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare("SELECT 1 FROM queue WHERE lease_expires_at <= ?1 LIMIT 1");
    if (!select.ok()) return select.error();
    select->bind_int(1, core::to_unix_ms(core::now()));
    auto row = select->step();
    if (!row.ok()) return row.error();
    found = *row;
    return {};
  });
  if (!status.ok()) return status.error();
  return found;
}

core::Result<std::optional<Lease>> SqliteTaskQueue::try_lease(const std::string& consumer) {
  auto free = has_free_entry();
  if (!free.ok()) return free.error();
  if (!*free) return std::optional<Lease>();

  std::optional<Lease> leased;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        const std::int64_t now_ms = core::to_unix_ms(core::now());
        auto select = connection.prepare(
            "SELECT seq, task_id, priority, delivery, lease_owner FROM queue "
            "WHERE lease_expires_at <= ?1 "
            "ORDER BY priority, seq LIMIT 1");
        if (!select.ok()) return select.error();
        select->bind_int(1, now_ms);
        auto row = select->step();
        if (!row.ok()) return row.error();
        if (!*row) return {};  // another consumer took it between the read and the write
        const std::int64_t seq = select->int64(0);
        const std::string task_text = select->text(1);
        auto task_id = core::TaskId::parse(task_text);
        if (!task_id) {
          return core::Error::make(
              core::ErrorCode::internal, "Internal error",
              "sqlite: queue row " + std::to_string(seq) + " has task id '" + task_text + "'");
        }
        Lease lease{.task_id = *task_id,
                    .priority = static_cast<core::Priority>(
                        std::clamp<std::int64_t>(select->int64(2), 0, 2)),
                    .delivery = static_cast<int>(select->int64(3)) + 1,
                    .token = new_lease_token(),
                    .reclaimed = reclaim_reason(select->optional_text(4))};

        auto update = connection.prepare(
            "UPDATE queue SET delivery = delivery + 1, lease_owner = ?2, lease_token = ?3, "
            "lease_expires_at = ?4 WHERE seq = ?1");
        if (!update.ok()) return update.error();
        update->bind_int(1, seq);
        update->bind_text(2, consumer);
        update->bind_text(3, lease.token);
        update->bind_int(4, now_ms + config_.lease_duration.count());
        if (auto updated = update->run(); !updated.ok()) return updated;
        leased = std::move(lease);
        return {};
      },
      Commit::deferred);  // a lost lease leaves the task queued
  if (!status.ok()) return status.error();
  return leased;
}

core::Status SqliteTaskQueue::ack(const Lease& lease) {
  return database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto remove =
            connection.prepare("DELETE FROM queue WHERE task_id = ?1 AND lease_token = ?2");
        if (!remove.ok()) return remove.error();
        remove->bind_text(1, lease.task_id.str());
        remove->bind_text(2, lease.token);
        return remove->run();
      },
      Commit::deferred);  // a lost ack leaves the task leased: its store state is already final
}

core::Status SqliteTaskQueue::release(const Lease& lease, std::chrono::milliseconds delay) {
  return free_lease(lease, 1, delay);
}

core::Status SqliteTaskQueue::retry(const Lease& lease, std::chrono::milliseconds delay) {
  return free_lease(lease, 0, delay);
}

core::Result<bool> SqliteTaskQueue::renew(const Lease& lease) {
  bool renewed = false;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto update = connection.prepare(
            "UPDATE queue SET lease_expires_at = ?3 WHERE task_id = ?1 AND lease_token = ?2");
        if (!update.ok()) return update.error();
        update->bind_text(1, lease.task_id.str());
        update->bind_text(2, lease.token);
        update->bind_int(3, core::to_unix_ms(core::now()) + config_.lease_duration.count());
        if (auto updated = update->run(); !updated.ok()) return updated;
        renewed = connection.changes() > 0;
        return {};
      },
      Commit::deferred);  // a lost renewal is a lease that expires sooner
  if (!status.ok()) return status.error();
  return renewed;
}

core::Result<std::size_t> SqliteTaskQueue::free_leases(
    const char* sql, const std::function<void(SqliteStatement&)>& bind) {
  std::size_t freed = 0;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto update = connection.prepare(sql);
        if (!update.ok()) return update.error();
        bind(*update);
        if (auto updated = update->run(); !updated.ok()) return updated;
        freed = static_cast<std::size_t>(connection.changes());
        return {};
      },
      Commit::deferred);  // a lost hand-back leaves the leases to expire
  if (!status.ok()) return status.error();
  if (freed > 0) database_->work_signal().notify();
  return freed;
}

core::Result<std::size_t> SqliteTaskQueue::release_all(const std::string& consumer) {
  return free_leases(
      "UPDATE queue SET delivery = max(delivery - 1, 0), lease_owner = ?2, lease_token = NULL, "
      "lease_expires_at = 0 WHERE lease_owner = ?1 AND lease_token IS NOT NULL",
      [&](SqliteStatement& update) {
        update.bind_text(1, consumer);
        update.bind_text(2, kHandedBack);
      });
}

core::Result<std::size_t> SqliteTaskQueue::reclaim_from_silent_workers(
    std::chrono::milliseconds silence) {
  std::size_t freed = 0;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        const std::int64_t now_ms = core::to_unix_ms(core::now());
        auto owners = connection.prepare(
            "SELECT DISTINCT lease_owner FROM queue WHERE lease_token IS NOT NULL");
        if (!owners.ok()) return owners.error();
        std::vector<std::string> consumers;
        while (true) {
          auto row = owners->step();
          if (!row.ok()) return row.error();
          if (!*row) break;
          consumers.push_back(owners->text(0));
        }
        auto beat = connection.prepare("SELECT 1 FROM workers WHERE name = ?1 AND last_seen >= ?2");
        if (!beat.ok()) return beat.error();
        auto update = connection.prepare(
            "UPDATE queue SET lease_owner = ?2, lease_token = NULL, lease_expires_at = 0 "
            "WHERE lease_owner = ?1 AND lease_token IS NOT NULL AND lease_expires_at <= ?3");
        if (!update.ok()) return update.error();
        for (const std::string& consumer : consumers) {
          beat->reset();
          beat->bind_text(1, worker_of_consumer(consumer));
          beat->bind_int(2, now_ms - silence.count());
          auto alive = beat->step();
          if (!alive.ok()) return alive.error();
          if (*alive) continue;
          update->reset();
          update->bind_text(1, consumer);
          update->bind_text(2, kWorkerDead);
          // Taken or renewed at least `silence` ago: a lease ends lease_duration after that.
          update->bind_int(3, now_ms + config_.lease_duration.count() - silence.count());
          if (auto updated = update->run(); !updated.ok()) return updated;
          freed += static_cast<std::size_t>(connection.changes());
        }
        return {};
      },
      Commit::deferred);
  if (!status.ok()) return status.error();
  if (freed > 0) database_->work_signal().notify();
  return freed;
}

core::Status SqliteTaskQueue::free_lease(const Lease& lease, int uncount,
                                         std::chrono::milliseconds delay) {
  bool freed = false;
  auto status = database_->write(
      [&](SqliteConnection& connection) -> core::Status {
        auto update = connection.prepare(
            "UPDATE queue SET delivery = max(delivery - ?3, 0), lease_owner = ?4, "
            "lease_token = NULL, lease_expires_at = ?5 WHERE task_id = ?1 AND lease_token = ?2");
        if (!update.ok()) return update.error();
        update->bind_text(1, lease.task_id.str());
        update->bind_text(2, lease.token);
        update->bind_int(3, uncount);
        update->bind_text(4, kHandedBack);
        update->bind_int(5, delay.count() > 0 ? core::to_unix_ms(core::now()) + delay.count() : 0);
        if (auto updated = update->run(); !updated.ok()) return updated;
        freed = connection.changes() > 0;
        return {};
      },
      Commit::deferred);  // a lost release leaves the lease to expire
  if (freed) database_->work_signal().notify();
  return status;
}

void SqliteTaskQueue::interrupt() {
  interrupted_.store(true);
  database_->work_signal().notify();
}

core::Result<QueueDepth> SqliteTaskQueue::depth() {
  QueueDepth depth;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare("SELECT priority, count(*) FROM queue GROUP BY priority");
    if (!select.ok()) return select.error();
    while (true) {
      auto row = select->step();
      if (!row.ok()) return row.error();
      if (!*row) return {};
      const std::int64_t priority = select->int64(0);
      if (priority < 0 || priority >= static_cast<std::int64_t>(depth.by_priority.size())) continue;
      depth.by_priority[static_cast<std::size_t>(priority)] =
          static_cast<std::uint64_t>(select->int64(1));
    }
  });
  if (!status.ok()) return status.error();
  return depth;
}

core::Result<OldestWaiting> SqliteTaskQueue::oldest_waiting() {
  OldestWaiting oldest;
  auto status = database_->read([&](SqliteConnection& connection) -> core::Status {
    auto select = connection.prepare(
        "SELECT queue.priority, min(tasks.created_at) FROM queue JOIN tasks ON tasks.id = "
        "queue.task_id WHERE queue.delivery = 0 GROUP BY queue.priority");
    if (!select.ok()) return select.error();
    while (true) {
      auto row = select->step();
      if (!row.ok()) return row.error();
      if (!*row) return {};
      const std::int64_t priority = select->int64(0);
      if (priority < 0 || priority >= static_cast<std::int64_t>(oldest.size())) continue;
      oldest[static_cast<std::size_t>(priority)] = core::from_unix_ms(select->int64(1));
    }
  });
  if (!status.ok()) return status.error();
  return oldest;
}

core::Result<std::size_t> SqliteTaskQueue::expire_all_leases() {
  return free_leases(
      "UPDATE queue SET lease_owner = ?1, lease_token = NULL, lease_expires_at = 0 "
      "WHERE lease_token IS NOT NULL",
      [](SqliteStatement& update) { update.bind_text(1, kWorkerDead); });
}

}  // namespace image_resize::tasks
