// --max-queue: with the queue full, an upload gets 503 queue_full with Retry-After at once
// instead of growing a backlog; every upload that did get 202 still ends SUCCESS.
#include "integration/api_helpers.h"
#include "support/prometheus_text.h"

namespace image_resize::integration {
namespace {

// A 5000x5000 PNG of one colour: 70 KB to upload, ~0.3 s of inflating 75 MB of pixels to
// resize, so uploads arrive much faster than one worker finishes them.
const std::string& slow_image() {
  static const std::string bytes = blank_image(5000, 5000, 3, ".png");
  return bytes;
}

class Backpressure : public SharedServerTest {
 public:
  // One worker thread, and room for two tasks (the one running and one waiting).
  static void SetUpTestSuite() { start_with({"--workers", "1", "--max-queue", "2"}); }
};

TEST_F(Backpressure, AFullQueueAnswers503WithRetryAfterAndLosesNoAcceptedTask) {
  std::vector<std::string> accepted;
  int refused = 0;
  for (int i = 0; i < 8; ++i) {
    const HttpResponse response = submit(client(), slow_image(), {{"width", "100"}});
    if (response.status == 202) {
      accepted.push_back(task_id_of(response));
      continue;
    }
    EXPECT_TRUE(is_json_error(response, 503, "queue_full")) << response;
    EXPECT_EQ(response.header("Retry-After").value_or(""), "1") << response;
    ++refused;
  }
  EXPECT_GE(accepted.size(), 2u);
  EXPECT_GE(refused, 1) << "eight slow uploads never filled a queue of two";
  for (const std::string& id : accepted) {
    const nlohmann::json status = wait_for_task(client(), id, 120);
    EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
  }
  // Drained: uploads are taken again.
  const HttpResponse again = submit(client(), fixture("photo.jpg"), {{"width", "10"}});
  EXPECT_EQ(again.status, 202) << again;
}

class QueueAge : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--workers", "1"}); }
};

// An autoscaler's signal: while the one worker is busy, the tasks behind it have an age.
TEST_F(QueueAge, TheOldestWaitingTaskShowsItsAgeInMetrics) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    const HttpResponse accepted = submit(client(), slow_image(), {{"width", "100"}});
    ASSERT_EQ(accepted.status, 202) << accepted;
    ids.push_back(task_id_of(accepted));
  }
  const HttpResponse scraped = client().get("/metrics");
  ASSERT_EQ(scraped.status, 200) << scraped;
  const auto metrics = testing::parse_exposition(scraped.body);
  EXPECT_GT(metrics.value(R"(image_resize_queue_oldest_waiting_seconds{priority="normal"})"), 0.0)
      << scraped.body;
  EXPECT_EQ(metrics.value(R"(image_resize_queue_oldest_waiting_seconds{priority="high"})"), 0.0);
  for (const std::string& id : ids) EXPECT_TRUE(is_terminal(wait_for_task(client(), id)));
  const auto after = testing::parse_exposition(client().get("/metrics").body);
  EXPECT_EQ(after.value(R"(image_resize_queue_oldest_waiting_seconds{priority="normal"})"), 0.0);
}

}  // namespace
}  // namespace image_resize::integration
