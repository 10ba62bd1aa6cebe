// --task-timeout: a task whose resize outlives it ends FAILURE `timeout` at once, without
// retries, and the worker goes on with the next task.
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class ProcessingDeadline : public SharedServerTest {
 public:
  static void SetUpTestSuite() { start_with({"--task-timeout", "1ms"}); }
};

// Images that take well over a millisecond to resize on any machine (the small fixtures can
// finish inside one, with shrink-on-load): a JPEG and a PNG with alpha.
std::vector<std::pair<std::string, std::string>> slow_images() {
  return {{"jpeg", blank_image(4000, 3000, 3, ".jpg")},
          {"png", blank_image(2000, 2000, 4, ".png")}};
}

TEST_F(ProcessingDeadline, ATaskPastTheDeadlineFailsWithTimeoutAndIsNotRetried) {
  for (const auto& [format, image] : slow_images()) {
    SCOPED_TRACE(format);
    const FinishedTask task = run_task(client(), image, {{"width", "64"}});
    ASSERT_EQ(task.status.value("status", ""), "FAILURE") << task.status.dump();
    EXPECT_EQ(task.status["error"].value("code", ""), "timeout") << task.status.dump();
    EXPECT_NE(task.status["error"].value("message", "").find("1 ms"), std::string::npos);
    EXPECT_EQ(task.status.value("attempts", 0), 1) << task.status.dump();
    const HttpResponse result = client().get(std::string(kResultPath) + task.id);
    EXPECT_TRUE(is_json_error(result, 404, "result_not_ready")) << result;
  }
  EXPECT_TRUE(server().wait_for_log("code=timeout", std::chrono::seconds(5)));
}

}  // namespace
}  // namespace image_resize::integration
