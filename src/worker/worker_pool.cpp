#include "worker/worker_pool.h"

#include <algorithm>

#include "core/log.h"
#include "core/result_caching.h"
#include "lifecycle/task_blobs.h"

namespace image_resize::worker {

using core::TaskState;
using storage::BlobKind;

// Loops per resize slot: one resizing while the other does its I/O.
constexpr int kLoopsPerSlot = 2;
// A source that could not be fetched for a reason that may pass is tried again after this,
// doubled each attempt: 2 s, 4 s, ... (within --max-attempts).
constexpr std::chrono::milliseconds kFetchRetryDelay{2'000};
constexpr std::chrono::milliseconds kMaxFetchRetryDelay{60'000};
// An input read back damaged is read again after this: a damaged transfer may not recur.
constexpr std::chrono::milliseconds kDamagedInputRetryDelay{1'000};

std::chrono::milliseconds fetch_retry_delay(int delivery) {
  const int doublings = std::clamp(delivery - 1, 0, 10);
  return std::min(kFetchRetryDelay * (1 << doublings), kMaxFetchRetryDelay);
}

// A resize slot, held from construction until release() or the end of the scope. Once it
// serves a task (count_as_busy()), it counts in `busy` while held.
class ResizeSlot {
 public:
  // Not held when the pool stops meanwhile.
  ResizeSlot(ResizeSlots& slots, std::atomic<int>& busy)
      : slots_(slots), busy_(busy), held_(slots_.acquire(false)) {}
  ~ResizeSlot() { release(); }
  ResizeSlot(const ResizeSlot&) = delete;
  ResizeSlot& operator=(const ResizeSlot&) = delete;

  // Takes the slot again after a release() (waiting for one to free up).
  void acquire() {
    if (held_) return;
    held_ = slots_.acquire(true);
    counted_ = false;
    count_as_busy();
  }
  void count_as_busy() {
    if (held_ && !counted_) {
      counted_ = true;
      ++busy_;
    }
  }
  void release() {
    if (!held_) return;
    held_ = false;
    if (counted_) --busy_;
    slots_.release();
  }

 private:
  ResizeSlots& slots_;
  std::atomic<int>& busy_;
  bool held_;
  bool counted_ = false;
};

WorkerPool::WorkerPool(WorkerConfig config, core::Limits limits, tasks::TaskStore& tasks,
                       tasks::TaskQueue& queue, storage::BlobStore& blobs,
                       imaging::ImageProcessor& images, outbound::OutboundClient& outbound,
                       metrics::Registry& metrics, FinishedObserver on_finished)
    : config_(std::move(config)),
      limits_(limits),
      tasks_(tasks),
      queue_(queue),
      blobs_(blobs),
      images_(images),
      sources_(outbound, images, limits, metrics),
      metrics_(metrics),
      on_finished_(std::move(on_finished)),
      leases_(queue, metrics),
      resize_slots_(config_.effective_resize_slots()) {
  metrics_.gauge("image_resize_workers_busy", "Resize slots serving a task now", [this] {
    return std::vector<std::pair<metrics::Labels, double>>{{{}, static_cast<double>(busy_.load())}};
  });
  metrics_.gauge("image_resize_workers",
                 "Resize slots in this process (--workers, or what an operator set since)", [this] {
                   return std::vector<std::pair<metrics::Labels, double>>{
                       {{}, static_cast<double>(resize_slots_.count())}};
                 });
  metrics_.gauge("image_resize_worker_paused",
                 "1 while an operator has this worker paused (it leases nothing new)", [this] {
                   return std::vector<std::pair<metrics::Labels, double>>{
                       {{}, resize_slots_.paused() ? 1.0 : 0.0}};
                 });
}

WorkerPool::~WorkerPool() { stop(std::chrono::hours(24)); }

void WorkerPool::start() {
  const int slots = resize_slots_.count();
  leases_.start();
  {
    std::lock_guard lock(exit_mutex_);
    start_loops(slots * kLoopsPerSlot);
  }
  core::log::info("workers started", {{"threads", std::to_string(slots)},
                                      {"loops", std::to_string(slots * kLoopsPerSlot)},
                                      {"consumer", config_.consumer_name}});
}

void WorkerPool::start_loops(int loops) {
  while (static_cast<int>(threads_.size()) < loops) {
    const int index = static_cast<int>(threads_.size());
    ++running_;
    threads_.emplace_back([this, index] { run_loop(index); });
  }
}

void WorkerPool::set_concurrency(int slots) {
  slots = std::clamp(slots, 1, config_.max_resize_slots());
  const int before = resize_slots_.count();
  if (slots == before) return;
  {
    std::lock_guard lock(exit_mutex_);
    if (stopping_) return;
    // Loops over the count wait for a slot, idle. Before start(), start() makes them.
    if (!threads_.empty()) start_loops(slots * kLoopsPerSlot);
  }
  images_.set_concurrency(slots);
  resize_slots_.set_count(slots);
  core::log::info("worker concurrency changed", {{"worker", config_.consumer_name},
                                                 {"from", std::to_string(before)},
                                                 {"to", std::to_string(slots)}});
}

void WorkerPool::set_paused(bool paused) {
  if (paused == resize_slots_.paused()) return;
  resize_slots_.set_paused(paused);
  core::log::info(paused ? "worker paused" : "worker resumed",
                  {{"worker", config_.consumer_name}, {"busy", std::to_string(busy_.load())}});
}

bool WorkerPool::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(exit_mutex_);
    if (threads_.empty()) return true;
    stopping_ = true;
  }
  resize_slots_.close();  // wakes the loops waiting for a slot (paused, or over the count)
  queue_.interrupt();
  exited_.notify_all();
  std::unique_lock lock(exit_mutex_);
  if (!exited_.wait_for(lock, grace, [this] { return running_ == 0; })) {
    lock.unlock();
    // Handed back now rather than left to their leases: another worker starts them at once.
    const std::vector<tasks::Lease> unfinished = leases_.take_all();
    leases_.stop();
    core::log::warn(
        "workers still busy after the shutdown grace; handing their tasks back",
        {{"busy", std::to_string(busy_.load())}, {"tasks", std::to_string(unfinished.size())}});
    for (const tasks::Lease& lease : unfinished) hand_back(lease, std::chrono::milliseconds(0));
    return false;
  }
  lock.unlock();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  leases_.stop();
  return true;
}

core::WorkerStatus WorkerPool::status() const {
  const core::TimePoint now = core::now();
  return core::WorkerStatus{.name = config_.consumer_name,
                            .threads = resize_slots_.count(),
                            .max_threads = config_.max_resize_slots(),
                            .paused = resize_slots_.paused(),
                            .busy = busy_.load(),
                            .started_at = started_at_,
                            .last_seen = now,
                            .recent = recent_.snapshot(now)};
}

void WorkerPool::run_loop(int index) {
  const std::string consumer = tasks::consumer_name(config_.consumer_name, index);
  auto backoff = config_.min_backoff;
  auto pause = [&] {
    std::unique_lock lock(exit_mutex_);
    exited_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, config_.max_backoff);
  };
  // Set when a queue call failed: the consumer may hold a lease this loop no longer tracks (a
  // lease whose reply was lost, an ack or hand-back that did not get through).
  bool may_hold_untracked = false;
  while (!stopping_) {
    if (may_hold_untracked) {
      if (!recover_consumer(consumer)) {
        pause();
        continue;
      }
      may_hold_untracked = false;
    }
    // The slot is taken before the lease, so that the task leased is the most urgent one when
    // a slot frees up (priorities hold), and given back after the resize: the rest is I/O.
    ResizeSlot slot(resize_slots_, busy_);
    if (stopping_) break;
    auto leased = queue_.lease(consumer, config_.poll_wait);
    if (!leased.ok()) {
      core::log::error("queue unavailable", {{"error", leased.error().log_message()}});
      may_hold_untracked = true;
      slot.release();
      pause();
      continue;
    }
    if (!leased.value()) continue;
    const tasks::Lease& lease = **leased;
    if (stopping_) {  // leased as the stop began: not started, so handed back unstarted
      hand_back(lease, std::chrono::milliseconds(0));
      break;
    }
    // Leased as a pause or a lower concurrency began: for another loop or worker to start, so
    // that no more than the new count resize from now on.
    if (resize_slots_.paused() || resize_slots_.over_count()) {
      hand_back(lease, std::chrono::milliseconds(0));
      continue;
    }
    count_reclaim(lease);
    slot.count_as_busy();
    leases_.hold(lease);
    const Processed processed = process(lease, slot);
    leases_.drop(lease);
    if (processed == Processed::done) {
      backoff = config_.min_backoff;
      continue;
    }
    if (processed == Processed::store_failed) {
      // Handed back now, to run again after the backoff (here or on another worker), instead of
      // waiting out its lease.
      if (!hand_back(lease, backoff)) may_hold_untracked = true;
    } else {
      may_hold_untracked = true;
    }
    slot.release();
    pause();
  }
  std::lock_guard lock(exit_mutex_);
  --running_;
  exited_.notify_all();
}

bool WorkerPool::hand_back(const tasks::Lease& lease, std::chrono::milliseconds delay) {
  auto released = queue_.release(lease, delay);
  if (!released.ok()) {
    core::log::warn("hand-back failed; the task runs again when its lease expires",
                    {{"task_id", lease.task_id.str()}, {"error", released.error().log_message()}});
  }
  return released.ok();
}

bool WorkerPool::recover_consumer(const std::string& consumer) {
  auto freed = queue_.release_all(consumer);
  if (!freed.ok()) {
    core::log::error("queue unavailable", {{"error", freed.error().log_message()}});
    return false;
  }
  if (*freed > 0) {
    core::log::warn("handed back tasks a failed queue call left leased",
                    {{"consumer", consumer}, {"count", std::to_string(*freed)}});
  }
  return true;
}

void WorkerPool::count_reclaim(const tasks::Lease& lease) {
  if (lease.reclaimed == tasks::Reclaim::none) return;
  const std::string reason(tasks::to_string(lease.reclaimed));
  metrics_
      .counter("image_resize_tasks_reclaimed_total",
               "Tasks taken back from an earlier holder, by why: its lease expired, its worker "
               "stopped beating, or it handed the task back",
               {{"reason", reason}})
      .inc();
  core::log::info("task reclaimed", {{"task_id", lease.task_id.str()},
                                     {"reason", reason},
                                     {"attempt", std::to_string(lease.delivery)}});
}

bool WorkerPool::lease_lost(const tasks::Lease& lease) {
  if (leases_.still_held(lease)) return false;
  core::log::warn("lease lost before the outcome was recorded; result dropped",
                  {{"task_id", lease.task_id.str()}, {"worker", config_.consumer_name}});
  return true;
}

WorkerPool::Processed WorkerPool::process(const tasks::Lease& lease, ResizeSlot& slot) {
  const core::TaskId& id = lease.task_id;
  auto report_store_error = [&](std::string_view what, const core::Error& error) {
    core::log::error(what, {{"task_id", id.str()}, {"error", error.log_message()}});
    return Processed::store_failed;
  };

  auto task = tasks_.get(id);
  if (!task.ok()) return report_store_error("task store read failed", task.error());
  if (!task.value()) {  // deleted while queued
    if (!queue_.ack(lease).ok()) return Processed::unacked;
    return Processed::done;
  }
  if (core::is_terminal(task.value()->state)) {  // finished, but the ack was lost
    return finish(lease, **task);
  }

  // Every earlier delivery ended with its worker (or imaging process) dead.
  if (lease.delivery > config_.max_attempts) return give_up(lease, **task);

  if (auto s = tasks_.mark_started(id, lease.delivery, core::now()); !s.ok()) {
    return report_store_error("task store write failed", s.error());
  }
  core::log::info("task started", {{"task_id", id.str()},
                                   {"attempt", std::to_string(lease.delivery)},
                                   {"worker", config_.consumer_name}});
  // Opened, not read: the imaging process maps the file itself.
  const core::TaskId& input_key = task.value()->input_key();
  auto input_unreadable = [&](const core::Error& error) {
    if (error.code == core::ErrorCode::blob_damaged) return damaged_input(lease, **task, error);
    return report_store_error("input blob read failed", error);
  };
  auto input = blobs_.open_for_reading(BlobKind::input, input_key);
  if (!input.ok()) return input_unreadable(input.error());
  if (!input.value() && !task.value()->source_url.empty()) {
    if (auto ended = fetch_input(lease, **task, slot)) return *ended;
    input = blobs_.open_for_reading(BlobKind::input, input_key);
    if (!input.ok()) return input_unreadable(input.error());
  }
  if (!input.value()) {
    core::log::error("input blob missing", {{"task_id", id.str()}});
    return fail(lease, **task, {core::ErrorCode::internal, "The uploaded image was lost.", 0}, 0.0);
  }

  const auto started = std::chrono::steady_clock::now();
  if (lease.delivery == 1) {
    metrics_
        .histogram("image_resize_task_queue_wait_seconds",
                   "Time from upload to a worker starting the task (first attempt), by priority",
                   {{"priority", std::string(core::to_string(task.value()->spec.priority))}})
        .observe(std::chrono::duration<double>(core::now() - task.value()->created_at).count());
    recent_.record_start(task.value()->spec.priority, task.value()->created_at);
  }
  auto resized = images_.resize_file(input.value()->get(), task.value()->spec, limits_);
  slot.release();  // what is left is I/O: the loop sharing this slot resizes meanwhile
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  if (!resized.ok() && resized.error().code == core::ErrorCode::worker_crashed) {
    core::log::error("task crashed its imaging process",
                     {{"task_id", id.str()},
                      {"attempt", std::to_string(lease.delivery)},
                      {"error", resized.error().log_message()}});
    if (lease_lost(lease)) return Processed::done;
    if (lease.delivery >= config_.max_attempts) return give_up(lease, **task);
    return retry(lease, std::chrono::milliseconds(0));
  }
  // Another worker has the task now: its outcome, and the input it reads, are its own.
  if (lease_lost(lease)) return Processed::done;
  if (!resized.ok()) {
    const core::Error& error = resized.error();
    core::log::warn("task failed", {{"task_id", id.str()},
                                    {"code", std::string(core::to_string(error.code))},
                                    {"error", error.log_message()}});
    return fail(lease, **task, {error.code, error.public_message, 0}, elapsed.count());
  }
  // Served as is by a presigned URL (--result-redirect) or a CDN in front of the store.
  const storage::BlobAttributes attributes{
      .content_type = std::string(core::mime_type(resized->format)),
      .cache_control = core::result_cache_control(task.value()->expires_at, core::now(), true)};
  if (auto s = blobs_.put(BlobKind::result, id, resized->bytes, attributes); !s.ok()) {
    return report_store_error("result blob write failed", s.error());
  }
  const core::TaskOutput output{.width = resized->width,
                                .height = resized->height,
                                .format = resized->format,
                                .bytes = resized->bytes.size(),
                                .blurhash = resized->blurhash,
                                .dominant_colour = resized->dominant_colour,
                                .etag = core::result_entity_tag(resized->bytes)};
  if (auto s = tasks_.mark_succeeded(id, output, core::now()); !s.ok()) {
    return report_store_error("task store write failed", s.error());
  }
  // A DELETE that raced with this task left a result nobody can reach: remove it (unless a task
  // that reuses it came meanwhile).
  if (auto still = tasks_.get(id); still.ok() && !still.value()) {
    lifecycle::release_result(tasks_, blobs_, **task);
  }
  record_outcome(**task, std::nullopt, elapsed.count());
  core::log::info("task succeeded", {{"task_id", id.str()},
                                     {"ms", std::to_string(elapsed_ms)},
                                     {"bytes", std::to_string(resized->bytes.size())}});
  return finish(lease, **task);
}

std::optional<WorkerPool::Processed> WorkerPool::fetch_input(const tasks::Lease& lease,
                                                             const core::TaskRecord& task,
                                                             ResizeSlot& slot) {
  const core::TaskId& id = lease.task_id;
  slot.release();  // a fetch is I/O: the slot resizes another task meanwhile
  FetchedSource fetched = sources_.fetch(task);
  if (lease_lost(lease)) return Processed::done;
  if (fetched.failure) {
    core::log::warn("image fetch failed",
                    {{"task_id", id.str()},
                     {"code", std::string(core::to_string(fetched.failure->code))},
                     {"attempt", std::to_string(lease.delivery)},
                     {"error", fetched.detail}});
    if (fetched.transient && lease.delivery < config_.max_attempts) {
      return retry(lease, fetch_retry_delay(lease.delivery));
    }
    return fail(lease, task, *fetched.failure, 0.0);
  }
  auto bytes = fetched.body->map();
  core::Status stored =
      bytes.ok() ? blobs_.put(BlobKind::input, task.input_key(), bytes->bytes()) : bytes.error();
  if (!stored.ok()) {
    core::log::error("input blob write failed",
                     {{"task_id", id.str()}, {"error", stored.error().log_message()}});
    return Processed::store_failed;
  }
  core::log::info("image fetched",
                  {{"task_id", id.str()}, {"bytes", std::to_string(fetched.body->size())}});
  slot.acquire();
  return std::nullopt;
}

WorkerPool::Processed WorkerPool::fail(const tasks::Lease& lease, const core::TaskRecord& task,
                                       const core::TaskFailure& failure,
                                       double processing_seconds) {
  if (auto s = tasks_.mark_failed(lease.task_id, failure, core::now()); !s.ok()) {
    core::log::error("task store write failed",
                     {{"task_id", lease.task_id.str()}, {"error", s.error().log_message()}});
    return Processed::store_failed;
  }
  record_outcome(task, failure.code, processing_seconds);
  return finish(lease, task);
}

WorkerPool::Processed WorkerPool::damaged_input(const tasks::Lease& lease,
                                                const core::TaskRecord& task,
                                                const core::Error& error) {
  const std::string attempt = std::to_string(lease.delivery);
  core::log::error(
      "input blob damaged",
      {{"task_id", lease.task_id.str()}, {"attempt", attempt}, {"error", error.log_message()}});
  if (lease.delivery >= config_.max_attempts) {
    return fail(lease, task,
                {core::ErrorCode::internal,
                 "The uploaded image was damaged in storage: read " + attempt +
                     " times, it never matched the checksum it was stored with.",
                 0},
                0.0);
  }
  return retry(lease, kDamagedInputRetryDelay);
}

WorkerPool::Processed WorkerPool::retry(const tasks::Lease& lease,
                                        std::chrono::milliseconds delay) {
  if (auto s = queue_.retry(lease, delay); !s.ok()) {
    core::log::error("queue retry failed",
                     {{"task_id", lease.task_id.str()}, {"error", s.error().log_message()}});
    return Processed::unacked;
  }
  return Processed::done;
}

WorkerPool::Processed WorkerPool::give_up(const tasks::Lease& lease, const core::TaskRecord& task) {
  const core::TaskId& id = lease.task_id;
  const core::TaskFailure failure{
      core::ErrorCode::worker_crashed,
      "The task was started " + std::to_string(config_.max_attempts) +
          " times and its worker stopped each time; it will not be tried again."};
  core::log::error("task given up",
                   {{"task_id", id.str()}, {"attempts", std::to_string(config_.max_attempts)}});
  return fail(lease, task, failure, 0.0);
}

void WorkerPool::record_outcome(const core::TaskRecord& task,
                                std::optional<core::ErrorCode> failure, double processing_seconds) {
  const core::TaskState state = failure ? core::TaskState::failure : core::TaskState::success;
  metrics::Labels labels{{"status", std::string(core::to_string(state))}};
  if (failure) labels["code"] = std::string(core::to_string(*failure));
  metrics_
      .counter("image_resize_tasks_finished_total", "Tasks that reached SUCCESS or FAILURE", labels)
      .inc();
  recent_.record(!failure, processing_seconds);
  if (processing_seconds > 0) {
    metrics_
        .histogram("image_resize_task_processing_seconds",
                   "Time a worker spent resizing one task (decode, resize, encode)")
        .observe(processing_seconds);
  }
  metrics_
      .histogram("image_resize_task_total_seconds",
                 "Time from upload to the outcome being recorded")
      .observe(std::chrono::duration<double>(core::now() - task.created_at).count());
}

WorkerPool::Processed WorkerPool::finish(const tasks::Lease& lease, const core::TaskRecord& task) {
  const core::TaskId& id = task.id;
  // The input is not needed once the outcome is recorded.
  lifecycle::release_input(tasks_, blobs_, task);
  Processed processed = Processed::done;
  if (auto s = queue_.ack(lease); !s.ok()) {
    core::log::warn("ack failed; the task is handed back and acked by whoever takes it",
                    {{"task_id", id.str()}, {"error", s.error().log_message()}});
    processed = Processed::unacked;
  }
  if (on_finished_) on_finished_(id);
  return processed;
}

}  // namespace image_resize::worker
