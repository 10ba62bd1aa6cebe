// The JSON of batches: the upload's 202 body lists every task with its file and variant, the
// batch document counts the states and says when all have ended, and the presets listing gives
// each variant as the presets file does.
#include "http/batch_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/handlers/handlers.h"

namespace image_resize::http {
namespace {

core::TaskId id(int n) {
  return *core::TaskId::parse("c4ac4a34-40a2-4750-a158-76" + std::to_string(7'000'000'000 + n));
}

core::BatchRecord sample_batch() {
  const core::TimePoint at = core::from_unix_ms(1'800'000'000'000);
  return {.id = id(1),
          .owner = "",
          .created_at = at,
          .expires_at = at + std::chrono::hours(24),
          .files = {{"a.jpg", id(2)}, {"b.png", id(3)}},
          .entries = {{id(4), 0, "thumb"}, {id(5), 1, "thumb"}, {id(6), 1, "full"}}};
}

core::TaskRecord task_in(const core::BatchRecord& batch, std::size_t entry, core::TaskState state) {
  core::TaskRecord task =
      core::TaskRecord::pending(batch.entries[entry].task_id, {}, core::ImageFormat::jpeg,
                                batch.created_at, batch.expires_at);
  task.state = state;
  task.batch_id = batch.id;
  task.variant = batch.entries[entry].variant;
  return task;
}

TEST(BatchJson, TheAcceptedBodyListsEveryTask) {
  const core::BatchRecord batch = sample_batch();
  const auto body = batch_accepted_json(batch);
  EXPECT_EQ(body["status"], "accepted");
  EXPECT_EQ(body["batch_id"], batch.id.str());
  EXPECT_EQ(body["batch_url"], "/api/v1/batches/" + batch.id.str());
  EXPECT_EQ(body["archive_url"], "/api/v1/batches/" + batch.id.str() + "/archive");
  ASSERT_EQ(body["tasks"].size(), 3u);
  EXPECT_EQ(body["tasks"][2]["task_id"], id(6).str());
  EXPECT_EQ(body["tasks"][2]["file"], "b.png");
  EXPECT_EQ(body["tasks"][2]["variant"], "full");
  EXPECT_EQ(body["tasks"][2]["status_url"], "/api/v1/status/" + id(6).str());
  EXPECT_EQ(body["tasks"][2]["result_url"], "/api/v1/images/result/" + id(6).str());
}

TEST(BatchJson, TheDocumentCountsTheStatesAndTheDeleted) {
  const core::BatchRecord batch = sample_batch();
  const BatchTasks tasks{task_in(batch, 0, core::TaskState::success), std::nullopt,
                         task_in(batch, 2, core::TaskState::started)};
  const auto body = batch_status_json(batch, tasks);
  EXPECT_FALSE(body["done"]);
  EXPECT_EQ(body["summary"]["SUCCESS"], 1);
  EXPECT_EQ(body["summary"]["STARTED"], 1);
  EXPECT_EQ(body["summary"]["PENDING"], 0);
  EXPECT_EQ(body["summary"]["deleted"], 1);
  ASSERT_EQ(body["tasks"].size(), 2u);
  EXPECT_EQ(body["tasks"][1]["file"], "b.png");
  EXPECT_EQ(body["tasks"][1]["variant"], "full");
  EXPECT_EQ(body["tasks"][1]["batch_id"], batch.id.str());
  EXPECT_EQ(body["tasks"][1]["status"], "STARTED");
}

TEST(BatchJson, DoneOnceEveryTaskStillThereHasEnded) {
  const core::BatchRecord batch = sample_batch();
  EXPECT_TRUE(batch_done({task_in(batch, 0, core::TaskState::failure), std::nullopt,
                          task_in(batch, 2, core::TaskState::success)}));
  EXPECT_FALSE(batch_done({task_in(batch, 0, core::TaskState::pending)}));
}

TEST(PresetsJson, ListsEachVariantWithTheTypesOfTheFile) {
  auto presets = Presets::parse(
      R"({"thumb": [{"name": "thumb", "width": 150, "format": "webp", "strip": false}]})",
      core::Limits{});
  ASSERT_TRUE(presets.ok()) << presets.error().public_message;
  const auto body = presets_json(*presets, true);
  EXPECT_EQ(body["only_presets"], true);
  ASSERT_EQ(body["presets"].size(), 1u);
  EXPECT_EQ(body["presets"][0]["name"], "thumb");
  const auto& variant = body["presets"][0]["variants"][0];
  EXPECT_EQ(variant["name"], "thumb");
  EXPECT_EQ(variant["width"], 150);
  EXPECT_EQ(variant["format"], "webp");
  EXPECT_EQ(variant["strip"], false);
  EXPECT_EQ(presets_json(Presets{}, false),
            nlohmann::json::parse(R"({"only_presets": false, "presets": []})"));
}

}  // namespace
}  // namespace image_resize::http
