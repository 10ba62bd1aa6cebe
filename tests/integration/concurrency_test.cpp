// Many clients at once: 50 uploads from 8 threads, each waited for and downloaded, all right.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class Concurrency : public SharedServerTest {};

TEST_F(Concurrency, FiftyUploadsFromEightThreadsAllSucceed) {
  constexpr int kUploads = 50;
  constexpr int kThreads = 8;
  const std::string photo = fixture("photo.jpg");
  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<std::string> problems;  // guarded by mutex
  std::vector<std::string> ids;       // guarded by mutex
  const auto note = [&](std::string problem) {
    std::lock_guard lock(mutex);
    problems.push_back(std::move(problem));
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpClient http(server().port());
      for (int i = next++; i < kUploads; i = next++) {
        // Each upload its own size, so a mixed-up result would show.
        const int width = 20 + i;
        const HttpResponse accepted = http.post_multipart(
            kResizePath, resize_form(photo, {{"width", std::to_string(width)}, {"height", "30"}}));
        const std::string id = task_id_of(accepted);
        if (id.empty()) {
          note("upload " + std::to_string(i) + ": HTTP " + std::to_string(accepted.status) + " " +
               accepted.error);
          continue;
        }
        const HttpResponse done = http.get(std::string(kStatusPath) + id + "?wait=30");
        if (done.json().value("status", "") != "SUCCESS") {
          note("task " + id + ": " + done.body);
          continue;
        }
        const HttpResponse result = http.get(std::string(kResultPath) + id);
        const auto info = inspect_image(result.body);
        if (result.status != 200 || !info || info->width != width || info->height != 30) {
          note("result of " + id + ": HTTP " + std::to_string(result.status) + ", " +
               (info ? std::to_string(info->width) + "x" + std::to_string(info->height)
                     : "undecodable"));
          continue;
        }
        std::lock_guard lock(mutex);
        ids.push_back(id);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (const auto& problem : problems) ADD_FAILURE() << problem;
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kUploads));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "a task id was handed out twice";
}

}  // namespace
}  // namespace image_resize::integration
