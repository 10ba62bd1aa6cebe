#include "http/status_body_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "http/messages.h"
#include "http/task_json.h"

namespace image_resize::http {
namespace {

core::TaskRecord finished_task(core::TaskState state = core::TaskState::success) {
  auto task = core::TaskRecord::pending(core::TaskId::generate(), core::ResizeSpec{},
                                        core::ImageFormat::jpeg, core::from_unix_ms(1795823400123),
                                        core::from_unix_ms(1795823500123));
  task.state = state;
  task.started_at = core::from_unix_ms(1795823400200);
  task.finished_at = core::from_unix_ms(1795823400300);
  task.attempts = 1;
  if (state == core::TaskState::success) {
    task.output = core::TaskOutput{.width = 100,
                                   .height = 50,
                                   .format = core::ImageFormat::jpeg,
                                   .bytes = 1234,
                                   .etag = "\"etag\""};
  } else {
    task.failure = core::TaskFailure{core::ErrorCode::decode_failed, "bad"};
  }
  return task;
}

std::string rendered(const core::TaskRecord& task) { return dump_json(task_status_json(task)); }

TEST(StatusBodyCache, AFinishedTaskIsRenderedOnceAndKept) {
  StatusBodyCache cache(16);
  const auto task = finished_task();
  const auto first = cache.body_for(task);
  EXPECT_EQ(*first, rendered(task));
  EXPECT_EQ(nlohmann::json::parse(*first)["status"], "SUCCESS");
  EXPECT_EQ(cache.body_for(task), first);  // the same kept string, not a second rendering
}

TEST(StatusBodyCache, AnUnfinishedTaskIsRenderedEveryTime) {
  StatusBodyCache cache(16);
  auto task = finished_task();
  task.state = core::TaskState::started;
  task.finished_at.reset();
  task.output.reset();
  const auto first = cache.body_for(task);
  EXPECT_EQ(*first, rendered(task));
  EXPECT_NE(cache.body_for(task), first);
}

TEST(StatusBodyCache, AChangedRecordIsRenderedAfresh) {
  StatusBodyCache cache(16);
  auto task = finished_task(core::TaskState::failure);
  const auto failed = cache.body_for(task);
  // Retried and finished again: same id, new outcome.
  task.state = core::TaskState::success;
  task.failure.reset();
  task.output = core::TaskOutput{
      .width = 10, .height = 5, .format = core::ImageFormat::png, .bytes = 99, .etag = "\"etag\""};
  task.attempts = 2;
  task.finished_at = core::from_unix_ms(1795823409999);
  const auto succeeded = cache.body_for(task);
  EXPECT_NE(*succeeded, *failed);
  EXPECT_EQ(*succeeded, rendered(task));
  EXPECT_EQ(nlohmann::json::parse(*succeeded)["result"]["bytes"], 99);
}

TEST(StatusBodyCache, TasksSharingASlotEachGetTheirOwnBody) {
  StatusBodyCache cache(1);
  const auto a = finished_task();
  const auto b = finished_task(core::TaskState::failure);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(*cache.body_for(a), rendered(a));
    EXPECT_EQ(*cache.body_for(b), rendered(b));
  }
}

TEST(StatusBodyCache, ReadersOnManyThreadsAlwaysGetTheirTasksBody) {
  StatusBodyCache cache(4);  // fewer slots than tasks: slots are replaced while others read
  std::vector<core::TaskRecord> tasks;
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    tasks.push_back(finished_task(i % 2 ? core::TaskState::success : core::TaskState::failure));
    expected.push_back(rendered(tasks.back()));
  }
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 3000; ++i) {
        const std::size_t k = static_cast<std::size_t>((i * 7 + t) % 12);
        if (*cache.body_for(tasks[k]) != expected[k]) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace image_resize::http
