#include "http/dashboard_json.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kNow = core::from_unix_ms(1'800'000'000'000);

core::WorkerStatus worker(std::string name, core::TimePoint last_seen, std::uint64_t succeeded,
                          std::uint64_t failed, std::size_t bucket) {
  core::WorkerStatus status{.name = std::move(name),
                            .threads = 2,
                            .busy = 1,
                            .started_at = kNow - 1h,
                            .last_seen = last_seen,
                            .recent = {}};
  status.recent.succeeded = succeeded;
  status.recent.failed = failed;
  status.recent.processing_buckets.assign(core::activity_bucket_bounds().size() + 1, 0);
  status.recent.processing_buckets[bucket] = succeeded + failed;
  return status;
}

// A worker that started `tasks` tasks of `priority`, each having waited about `bucket`'s bound.
core::WorkerStatus waited(core::WorkerStatus status, core::Priority priority, std::uint64_t tasks,
                          std::size_t bucket) {
  auto& buckets = status.recent.waiting_buckets[static_cast<std::size_t>(priority)];
  buckets.assign(core::activity_bucket_bounds().size() + 1, 0);
  buckets[bucket] = tasks;
  return status;
}

void expect_within_bucket(const nlohmann::json& value, std::size_t bucket) {
  const auto bounds = core::activity_bucket_bounds();
  ASSERT_TRUE(value.is_number()) << value;
  EXPECT_GT(value.get<double>(), bounds[bucket - 1]);
  EXPECT_LE(value.get<double>(), bounds[bucket]);
}

TEST(DashboardJson, MergesTheAliveWorkersAndShowsTheDeadOnes) {
  core::TaskRecord failed_task = core::TaskRecord::pending(
      core::TaskId::generate(), {}, core::ImageFormat::jpeg, kNow - 10s, kNow + 1h);
  failed_task.state = core::TaskState::failure;
  failed_task.finished_at = kNow - 2s;
  failed_task.failure = core::TaskFailure{core::ErrorCode::decode_failed, "corrupt", 0};
  core::TaskRecord unanswered = failed_task;
  unanswered.id = core::TaskId::generate();
  unanswered.callback_url = "https://hooks.example.com:8443/done?token=secret";
  unanswered.webhook = core::WebhookDelivery{core::WebhookState::failed, 7, 503};

  const auto document = dashboard_json({
      .depth = {.by_priority = {1, 2, 3}},
      .workers = {worker("a", kNow - 1s, 50, 10, 20), worker("b", kNow - 2s, 70, 0, 20),
                  worker("dead", kNow - 60s, 1000, 0, 40)},
      .recent_failures = {failed_task},
      .failing_webhooks = {unanswered},
      .now = kNow,
      .alive_within = 7s,
  });

  EXPECT_EQ(document["queue"], (nlohmann::json{{"high", 1}, {"normal", 2}, {"low", 3}}));
  ASSERT_EQ(document["workers"].size(), 3u);
  EXPECT_EQ(document["workers"][0]["alive"], true);
  EXPECT_EQ(document["workers"][2]["name"], "dead");
  EXPECT_EQ(document["workers"][2]["alive"], false);
  EXPECT_EQ(document["workers"][0]["last_seen"], core::format_iso8601(kNow - 1s));

  // The dead worker's thousand tasks are not counted.
  EXPECT_EQ(document["throughput"]["succeeded"], 120);
  EXPECT_EQ(document["throughput"]["failed"], 10);
  EXPECT_EQ(document["throughput"]["window_seconds"], 60);
  EXPECT_DOUBLE_EQ(document["throughput"]["tasks_per_second"].get<double>(), 130.0 / 60.0);
  // Every alive task fell in bucket 20: p50 and p99 lie inside it.
  for (const char* quantile : {"p50", "p99"}) {
    SCOPED_TRACE(quantile);
    expect_within_bucket(document["processing_seconds"][quantile], 20);
  }

  ASSERT_EQ(document["recent_failures"].size(), 1u);
  EXPECT_EQ(document["recent_failures"][0]["task_id"], failed_task.id.str());
  EXPECT_EQ(document["recent_failures"][0]["code"], "decode_failed");
  EXPECT_EQ(document["recent_failures"][0]["message"], "corrupt");

  // The receiver's host only: the path and query of a callback may hold the client's token.
  EXPECT_EQ(document["failing_webhooks"],
            (nlohmann::json::array({{{"task_id", unanswered.id.str()},
                                     {"host", "hooks.example.com:8443"},
                                     {"state", "failed"},
                                     {"attempts", 7},
                                     {"last_status", 503}}})));
}

TEST(DashboardJson, NoActivityMeansNullQuantilesAndZeroRate) {
  const auto document = dashboard_json({.depth = {},
                                        .workers = {},
                                        .recent_failures = {},
                                        .failing_webhooks = {},
                                        .now = kNow,
                                        .alive_within = 7s});
  EXPECT_TRUE(document["processing_seconds"]["p50"].is_null());
  EXPECT_TRUE(document["processing_seconds"]["p99"].is_null());
  EXPECT_EQ(document["throughput"]["tasks_per_second"], 0.0);
  EXPECT_TRUE(document["workers"].empty());
  EXPECT_TRUE(document["recent_failures"].empty());
  EXPECT_TRUE(document["failing_webhooks"].empty());
  for (const char* priority : {"high", "normal", "low"}) {
    EXPECT_EQ(document["waiting_seconds"][priority],
              (nlohmann::json{{"p50", nullptr}, {"p99", nullptr}, {"tasks", 0}}))
        << priority;
  }
  EXPECT_EQ(document["history"],
            (nlohmann::json{{"interval_seconds", 10}, {"samples", nlohmann::json::array()}}));
  EXPECT_EQ(document["operator"], false);
  EXPECT_EQ(document["batches"], nlohmann::json::array());
}

TEST(DashboardJson, WaitingTimesAreMergedPerPriorityOverTheAliveWorkers) {
  auto a = waited(worker("a", kNow - 1s, 0, 0, 0), core::Priority::high, 98, 10);
  a = waited(std::move(a), core::Priority::low, 3, 40);
  const auto b = waited(worker("b", kNow - 1s, 0, 0, 0), core::Priority::high, 2, 30);
  const auto dead = waited(worker("dead", kNow - 60s, 0, 0, 0), core::Priority::normal, 5, 30);
  const auto document = dashboard_json({.depth = {},
                                        .workers = {a, b, dead},
                                        .recent_failures = {},
                                        .failing_webhooks = {},
                                        .now = kNow,
                                        .alive_within = 7s});
  const auto& waiting = document["waiting_seconds"];
  EXPECT_EQ(waiting["high"]["tasks"], 100);
  expect_within_bucket(waiting["high"]["p50"], 10);  // 98 of the 100 waited this long
  expect_within_bucket(waiting["high"]["p99"], 30);  // the other 2, on worker b
  EXPECT_EQ(waiting["low"]["tasks"], 3);
  expect_within_bucket(waiting["low"]["p99"], 40);
  // Only the dead worker started normal tasks.
  EXPECT_EQ(waiting["normal"]["tasks"], 0);
  EXPECT_TRUE(waiting["normal"]["p50"].is_null());
}

TEST(DashboardJson, ShowsTheHistoryOldestFirstAndWhetherTheCallerMaySteer) {
  const std::vector<HistorySample> history{
      {.at = kNow - 20s,
       .tasks_per_second = 0.5,
       .queue = {.by_priority = {1, 2, 3}},
       .processing_p99_seconds = 0.25},
      {.at = kNow - 10s,
       .tasks_per_second = 0,
       .queue = {},
       .processing_p99_seconds = std::nullopt},
  };
  const auto document = dashboard_json({.depth = {},
                                        .workers = {},
                                        .recent_failures = {},
                                        .failing_webhooks = {},
                                        .now = kNow,
                                        .alive_within = 7s,
                                        .history = history,
                                        .operator_controls = true});
  EXPECT_EQ(document["operator"], true);
  EXPECT_EQ(document["history"]["interval_seconds"], 10);
  EXPECT_EQ(document["history"]["samples"],
            (nlohmann::json::array({{{"at", core::format_iso8601(kNow - 20s)},
                                     {"tasks_per_second", 0.5},
                                     {"queue_depth", 6},
                                     {"queue", {{"high", 1}, {"normal", 2}, {"low", 3}}},
                                     {"processing_p99_seconds", 0.25}},
                                    {{"at", core::format_iso8601(kNow - 10s)},
                                     {"tasks_per_second", 0.0},
                                     {"queue_depth", 0},
                                     {"queue", {{"high", 0}, {"normal", 0}, {"low", 0}}},
                                     {"processing_p99_seconds", nullptr}}})));
}

TEST(DashboardJson, ShowsEachWorkersConcurrencyAndPause) {
  auto paused = worker("a", kNow - 1s, 0, 0, 0);
  paused.threads = 1;
  paused.max_threads = 16;
  paused.paused = true;
  const auto document = dashboard_json({.depth = {},
                                        .workers = {paused},
                                        .recent_failures = {},
                                        .failing_webhooks = {},
                                        .now = kNow,
                                        .alive_within = 7s});
  const auto& shown = document["workers"][0];
  EXPECT_EQ(shown["threads"], 1);
  EXPECT_EQ(shown["max_threads"], 16);
  EXPECT_EQ(shown["paused"], true);
}

// Nothing but `batches`.
DashboardSources with_batches(std::vector<DashboardBatch> batches) {
  return {.depth = {},
          .workers = {},
          .recent_failures = {},
          .failing_webhooks = {},
          .now = kNow,
          .alive_within = 7s,
          .history = {},
          .batches = std::move(batches)};
}

// A batch of 2 files × 2 variants, with its tasks in the given states (nullopt: deleted).
DashboardBatch batch_with(const std::vector<std::optional<core::TaskState>>& states,
                          std::size_t entries = 4) {
  DashboardBatch batch{.record = {.id = core::TaskId::generate(),
                                  .owner = "",
                                  .created_at = kNow - 5s,
                                  .expires_at = kNow + 1h,
                                  .files = {{"a.jpg", core::TaskId::generate()},
                                            {"b.jpg", core::TaskId::generate()}},
                                  .entries = {}},
                       .tasks = {}};
  for (std::size_t i = 0; i < entries; ++i) {
    batch.record.entries.push_back({core::TaskId::generate(), i / 2, i % 2 == 0 ? "s" : "m"});
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!states[i]) {
      batch.tasks.emplace_back();
      continue;
    }
    core::TaskRecord task = core::TaskRecord::pending(
        batch.record.entries[i].task_id, {}, core::ImageFormat::jpeg, kNow - 5s, kNow + 1h);
    task.state = *states[i];
    batch.tasks.emplace_back(std::move(task));
  }
  return batch;
}

TEST(DashboardJson, ShowsEachBatchWithItsTasksCountedByState) {
  using enum core::TaskState;
  const DashboardBatch running = batch_with({success, started, pending, failure});
  const DashboardBatch finished = batch_with({success, failure, std::nullopt, success});
  const auto document = dashboard_json(with_batches({running, finished}));

  ASSERT_EQ(document["batches"].size(), 2u);
  const auto& first = document["batches"][0];
  EXPECT_EQ(first["batch_id"], running.record.id.str());
  EXPECT_EQ(first["batch_url"], "/api/v1/batches/" + running.record.id.str());
  EXPECT_EQ(first["created_at"], core::format_iso8601(kNow - 5s));
  EXPECT_EQ(first["files"], 2);
  EXPECT_EQ(first["tasks"], 4);
  EXPECT_EQ(first["counted"], 4);
  EXPECT_EQ(first["summary"],
            (nlohmann::json{
                {"PENDING", 1}, {"STARTED", 1}, {"SUCCESS", 1}, {"FAILURE", 1}, {"deleted", 0}}));
  EXPECT_EQ(first["done"], false);

  const auto& second = document["batches"][1];
  EXPECT_EQ(second["summary"],
            (nlohmann::json{
                {"PENDING", 0}, {"STARTED", 0}, {"SUCCESS", 2}, {"FAILURE", 1}, {"deleted", 1}}));
  EXPECT_EQ(second["done"], true);
}

TEST(DashboardJson, ABatchReadInPartIsNeverDone) {
  using enum core::TaskState;
  const auto document = dashboard_json(with_batches({batch_with({success, success}, 4)}));
  const auto& batch = document["batches"][0];
  EXPECT_EQ(batch["tasks"], 4);
  EXPECT_EQ(batch["counted"], 2);
  EXPECT_EQ(batch["summary"]["SUCCESS"], 2);
  EXPECT_EQ(batch["done"], false);
}

}  // namespace
}  // namespace image_resize::http
