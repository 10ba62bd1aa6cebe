#include "worker/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

#include "worker_fixture.h"

namespace image_resize::worker {
namespace {

using namespace std::chrono_literals;
using core::TaskState;
using storage::BlobKind;

// Collects the ids the pool reports finished, and waits for a count.
class FinishedLog {
 public:
  void add(const core::TaskId& id) {
    std::lock_guard lock(mutex_);
    ids_.insert(id);
    changed_.notify_all();
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return ids_.size() >= count; });
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return ids_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<core::TaskId> ids_;
};

class WorkerPoolTest : public WorkerFixture {
 protected:
  std::unique_ptr<WorkerPool> make_pool(int threads = 2) {
    WorkerConfig config;
    config.resize_slots = threads;
    config.poll_wait = 100ms;
    return std::make_unique<WorkerPool>(config, core::Limits{}, *tasks_, *queue_, *blobs_, images_,
                                        outbound_, metrics_,
                                        [this](const core::TaskId& id) { finished_.add(id); });
  }
  static core::ResizeSpec size(int width, int height) {
    core::ResizeSpec spec;
    spec.width = width;
    spec.height = height;
    return spec;
  }
  FinishedLog finished_;
};

TEST_F(WorkerPoolTest, ResizesToSuccessStoresTheResultAndDropsTheInput) {
  const auto id = submit(testing::read_file(testing::fixture_image("photo.jpg")), size(64, 48));
  auto pool = make_pool();
  pool->start();
  ASSERT_TRUE(finished_.wait_for(1, 20s));
  ASSERT_TRUE(pool->stop(10s));

  const core::TaskRecord done = task(id);
  EXPECT_EQ(done.state, TaskState::success);
  EXPECT_EQ(done.attempts, 1);
  ASSERT_TRUE(done.output);
  EXPECT_EQ(done.output->width, 64);
  EXPECT_EQ(done.output->height, 48);
  EXPECT_EQ(done.output->format, core::ImageFormat::jpeg);
  auto result = blobs_->get(BlobKind::result, id);
  ASSERT_TRUE(result.ok() && result.value());
  EXPECT_EQ(result.value()->size(), done.output->bytes);
  auto input = blobs_->get(BlobKind::input, id);
  ASSERT_TRUE(input.ok());
  EXPECT_FALSE(input.value());
  EXPECT_EQ(queue_->depth()->total(), 0u);
  const std::string metrics_text = metrics_.render();
  EXPECT_NE(metrics_text.find("image_resize_tasks_finished_total{status=\"SUCCESS\"} 1\n"),
            std::string::npos)
      << metrics_text;
  EXPECT_NE(metrics_text.find("image_resize_task_processing_seconds_count 1\n"), std::string::npos);
}

TEST_F(WorkerPoolTest, CorruptInputEndsFailureWithDecodeFailed) {
  const auto id = submit(testing::read_file(testing::fixture_image("truncated.jpg")), size(32, 32));
  auto pool = make_pool();
  pool->start();
  ASSERT_TRUE(finished_.wait_for(1, 20s));
  pool->stop(10s);
  const core::TaskRecord done = task(id);
  EXPECT_EQ(done.state, TaskState::failure);
  ASSERT_TRUE(done.failure);
  EXPECT_EQ(done.failure->code, core::ErrorCode::decode_failed);
  EXPECT_FALSE(done.failure->message.empty());
  EXPECT_NE(metrics_.render().find(
                "image_resize_tasks_finished_total{code=\"decode_failed\",status=\"FAILURE\"} 1\n"),
            std::string::npos);
}

TEST_F(WorkerPoolTest, StatusReportsTheLastMinutesOutcomesForTheHeartbeat) {
  const std::string photo = testing::read_file(testing::fixture_image("photo.jpg"));
  submit(photo, size(16, 16));
  submit(photo, size(24, 24));
  submit(testing::read_file(testing::fixture_image("truncated.jpg")), size(32, 32));
  auto pool = make_pool(3);
  pool->start();
  ASSERT_TRUE(finished_.wait_for(3, 30s));
  const core::WorkerStatus status = pool->status();
  pool->stop(10s);
  EXPECT_EQ(status.threads, 3);
  EXPECT_EQ(status.recent.succeeded, 2u);
  EXPECT_EQ(status.recent.failed, 1u);
  std::uint64_t timed = 0;
  for (auto count : status.recent.processing_buckets) timed += count;
  EXPECT_EQ(timed, 3u);
  EXPECT_LE(status.started_at, status.last_seen);
}

TEST_F(WorkerPoolTest, ManyTasksEachProcessedOnce) {
  const std::string photo = testing::read_file(testing::fixture_image("alpha.png"));
  std::vector<core::TaskId> ids;
  for (int i = 0; i < 24; ++i) ids.push_back(submit(photo, size(16 + i, 16)));
  auto pool = make_pool(4);
  pool->start();
  ASSERT_TRUE(finished_.wait_for(ids.size(), 60s));
  pool->stop(10s);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto done = task(ids[i]);
    EXPECT_EQ(done.state, TaskState::success);
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(done.output->width, 16 + static_cast<int>(i));
  }
}

// The real libvips processor, watched: how many resizes run at once, and how many started
// while an earlier task had finished resizing but was not yet reported finished (stored and
// recorded), which only a second loop on the same slot can do.
class WatchedProcessor final : public imaging::ImageProcessor {
 public:
  explicit WatchedProcessor(imaging::ImageProcessor& real) : real_(real) {}

  core::Result<imaging::ImageInfo> probe(std::string_view bytes,
                                         const core::Limits& limits) override {
    return real_.probe(bytes, limits);
  }
  core::Result<imaging::ResizedImage> resize(std::string_view bytes, const core::ResizeSpec& spec,
                                             const core::Limits& limits) override {
    return real_.resize(bytes, spec, limits);
  }
  core::Result<imaging::ResizedImage> resize_file(int fd, const core::ResizeSpec& spec,
                                                  const core::Limits& limits) override {
    {
      std::lock_guard lock(mutex_);
      most_at_once_ = std::max(most_at_once_, ++running_);
      if (resized_ > reported_) ++overlapped_;
    }
    auto resized = real_.resize_file(fd, spec, limits);
    std::lock_guard lock(mutex_);
    --running_;
    ++resized_;
    return resized;
  }
  void reported_finished() {
    std::lock_guard lock(mutex_);
    ++reported_;
  }
  int most_at_once() {
    std::lock_guard lock(mutex_);
    return most_at_once_;
  }
  int overlapped() {
    std::lock_guard lock(mutex_);
    return overlapped_;
  }

 private:
  imaging::ImageProcessor& real_;
  std::mutex mutex_;
  int running_ = 0;       // guarded by mutex_
  int most_at_once_ = 0;  // guarded by mutex_
  int resized_ = 0;       // guarded by mutex_
  int reported_ = 0;      // guarded by mutex_
  int overlapped_ = 0;    // guarded by mutex_
};

TEST_F(WorkerPoolTest, ResizesNoMoreAtOnceThanItsThreadsAndStoresOneWhileResizingTheNext) {
  const std::string photo = testing::read_file(testing::fixture_image("photo.jpg"));
  std::vector<core::TaskId> ids;
  for (int i = 0; i < 24; ++i) ids.push_back(submit(photo, size(40, 30)));
  WatchedProcessor watched(images_);
  WorkerConfig config;
  config.resize_slots = 1;
  config.poll_wait = 100ms;
  WorkerPool pool(config, core::Limits{}, *tasks_, *queue_, *blobs_, watched, outbound_, metrics_,
                  [&](const core::TaskId& id) {
                    watched.reported_finished();
                    finished_.add(id);
                  });
  pool.start();
  ASSERT_TRUE(finished_.wait_for(ids.size(), 60s));
  ASSERT_TRUE(pool.stop(10s));
  for (const auto& id : ids) EXPECT_EQ(task(id).state, TaskState::success);
  EXPECT_EQ(watched.most_at_once(), 1);
  // With one slot, a resize that starts before the previous task is stored and recorded is the
  // slot's second loop at work while the first does its I/O.
  EXPECT_GT(watched.overlapped(), 0);
  EXPECT_EQ(pool.status().threads, 1);
  EXPECT_EQ(pool.busy(), 0);
}

class WorkerPoolControls : public WorkerPoolTest {
 protected:
  std::unique_ptr<WorkerPool> make_watched_pool(WatchedProcessor& watched, int threads) {
    WorkerConfig config;
    config.resize_slots = threads;
    config.poll_wait = 100ms;
    return std::make_unique<WorkerPool>(config, core::Limits{}, *tasks_, *queue_, *blobs_, watched,
                                        outbound_, metrics_,
                                        [this](const core::TaskId& id) { finished_.add(id); });
  }
  std::vector<core::TaskId> submit_photos(int count) {
    const std::string photo = testing::read_file(testing::fixture_image("photo.jpg"));
    std::vector<core::TaskId> ids;
    for (int i = 0; i < count; ++i) ids.push_back(submit(photo, size(200 + i, 150)));
    return ids;
  }
  // Starts a pool of `threads`, sets its concurrency to `set`, then runs `tasks` tasks (each to
  // SUCCESS): how many of them resized at once at most.
  int most_at_once_after(int threads, int set, int tasks) {
    WatchedProcessor watched(images_);
    auto pool = make_watched_pool(watched, threads);
    pool->start();
    pool->set_concurrency(set);
    const auto ids = submit_photos(tasks);
    EXPECT_TRUE(finished_.wait_for(ids.size(), 60s));
    EXPECT_EQ(pool->status().threads, set);
    EXPECT_TRUE(pool->stop(10s));
    for (const auto& id : ids) EXPECT_EQ(task(id).state, TaskState::success);
    return watched.most_at_once();
  }
};

TEST_F(WorkerPoolControls, ALowerConcurrencyHoldsFromTheNextTask) {
  EXPECT_EQ(most_at_once_after(3, 1, 16), 1);
  EXPECT_NE(metrics_.render().find("image_resize_workers 1\n"), std::string::npos);
}

TEST_F(WorkerPoolControls, AHigherConcurrencyStartsMoreLoopsAndRunsMoreAtOnce) {
  const int most = most_at_once_after(1, 3, 24);
  EXPECT_GE(most, 2);
  EXPECT_LE(most, 3);
}

TEST_F(WorkerPoolControls, AConcurrencyIsKeptWithinOneAndTwiceTheCores) {
  auto pool = make_pool(1);
  pool->set_concurrency(0);
  EXPECT_EQ(pool->status().threads, 1);
  pool->set_concurrency(100000);
  EXPECT_EQ(pool->status().threads, pool->status().max_threads);
  EXPECT_GE(pool->status().max_threads, 2);
}

TEST_F(WorkerPoolControls, APausedPoolStartsNothingUntilResumed) {
  WatchedProcessor watched(images_);
  auto pool = make_watched_pool(watched, 2);
  pool->start();
  pool->set_paused(true);
  EXPECT_TRUE(pool->status().paused);
  // A loop waiting in lease() when the pause began may still take a task: it hands it back.
  const auto ids = submit_photos(4);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(finished_.size(), 0u);
  EXPECT_EQ(watched.most_at_once(), 0);
  for (const auto& id : ids) EXPECT_EQ(task(id).state, TaskState::pending);
  EXPECT_NE(metrics_.render().find("image_resize_worker_paused 1\n"), std::string::npos);

  pool->set_paused(false);
  ASSERT_TRUE(finished_.wait_for(ids.size(), 60s));
  for (const auto& id : ids) {
    EXPECT_EQ(task(id).state, TaskState::success);
    EXPECT_EQ(task(id).attempts, 1);  // a hand-back is not an attempt
  }
  ASSERT_TRUE(pool->stop(10s));
}

TEST_F(WorkerPoolControls, APausedPoolStopsAtOnce) {
  auto pool = make_pool(2);
  pool->start();
  pool->set_concurrency(1);  // and loops over the count wait for a slot too
  pool->set_paused(true);
  EXPECT_TRUE(pool->stop(10s));  // every loop woke and returned, none waits for a slot
}

class WorkerPoolShortLease : public WorkerPoolTest {
 protected:
  WorkerPoolShortLease() { lease_ = 50ms; }
};

TEST_F(WorkerPoolShortLease, GivesUpAfterMaxAttemptsOfDeadWorkers) {
  const auto id = submit(testing::read_file(testing::fixture_image("photo.jpg")), size(10, 10));
  // Three deliveries whose worker "died": leased, never acked, lease expired.
  for (int delivery = 1; delivery <= 3; ++delivery) {
    auto lease = queue_->lease("dead-worker", 1s);
    ASSERT_TRUE(lease.ok() && lease.value());
    EXPECT_EQ(lease.value()->delivery, delivery);
    std::this_thread::sleep_for(80ms);
  }
  auto pool = make_pool(1);
  pool->start();
  ASSERT_TRUE(finished_.wait_for(1, 20s));
  pool->stop(10s);
  const auto done = task(id);
  EXPECT_EQ(done.state, TaskState::failure);
  ASSERT_TRUE(done.failure);
  EXPECT_EQ(done.failure->code, core::ErrorCode::worker_crashed);
  EXPECT_EQ(queue_->depth()->total(), 0u);
}

// Long enough for the pool's own run of the task (a first resize under CI load took 58 ms):
// a lease that expired under it would let the slot's other loop run the task again.
class WorkerPoolLeaseLongerThanAResize : public WorkerPoolTest {
 protected:
  WorkerPoolLeaseLongerThanAResize() { lease_ = 1s; }
};

TEST_F(WorkerPoolLeaseLongerThanAResize, RetriesATaskWhoseWorkerDiedOnce) {
  const auto id = submit(testing::read_file(testing::fixture_image("photo.jpg")), size(10, 10));
  auto lease = queue_->lease("dead-worker", 1s);
  ASSERT_TRUE(lease.ok() && lease.value());
  std::this_thread::sleep_for(lease_ + 50ms);
  auto pool = make_pool(1);
  pool->start();
  ASSERT_TRUE(finished_.wait_for(1, 20s));
  pool->stop(10s);
  const auto done = task(id);
  EXPECT_EQ(done.state, TaskState::success);
  EXPECT_EQ(done.attempts, 2);
}

TEST_F(WorkerPoolTest, DeletedWhileQueuedIsSkipped) {
  const auto id = submit(testing::read_file(testing::fixture_image("photo.jpg")), size(10, 10));
  ASSERT_TRUE(*tasks_->remove(id));
  auto pool = make_pool(1);
  pool->start();
  std::this_thread::sleep_for(300ms);
  pool->stop(10s);
  EXPECT_EQ(finished_.size(), 0u);
  auto result = blobs_->get(BlobKind::result, id);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value());
}

TEST_F(WorkerPoolTest, StopReturnsPromptlyWhenIdle) {
  auto pool = make_pool(2);
  pool->start();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(pool->stop(10s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

}  // namespace
}  // namespace image_resize::worker
