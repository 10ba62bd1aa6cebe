// Many threads resizing at once through one VipsImageProcessor, as the worker pool does: every
// result is right, and a failing job on one thread does not disturb the others.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

struct Job {
  std::string file;
  core::OutputFormat format;
  bool should_succeed;
};

TEST(Concurrency, ManyThreadsResizeAtOnce) {
  const std::vector<Job> jobs{{"photo.jpg", core::OutputFormat::webp, true},
                              {"alpha.png", core::OutputFormat::png, true},
                              {"photo.heic", core::OutputFormat::jpeg, true},
                              {"animated.gif", core::OutputFormat::gif, true},
                              {"photo.avif", core::OutputFormat::avif, true},
                              {"truncated.jpg", core::OutputFormat::png, false},
                              {"photo.tif", core::OutputFormat::tiff, true},
                              {"random.bin", core::OutputFormat::png, false}};
  for (const Job& job : jobs) test::fixture(job.file);  // read the files before the threads start

  VipsImageProcessor processor;
  constexpr int kThreads = 8;
  constexpr int kRounds = 3;
  std::atomic<int> wrong{0};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const Job& job = jobs[static_cast<std::size_t>(t + round) % jobs.size()];
        const auto resized =
            processor.resize(test::fixture(job.file),
                             test::make_spec(64, 48, core::Fit::fill, job.format), core::Limits{});
        const bool right = resized.ok() == job.should_succeed &&
                           (!resized.ok() || (resized->width == 64 && resized->height == 48 &&
                                              !resized->bytes.empty()));
        if (!right) ++wrong;
        ++done;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(done.load(), kThreads * kRounds);
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace image_resize::imaging
