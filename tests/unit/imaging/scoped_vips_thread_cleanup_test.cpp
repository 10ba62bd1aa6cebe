// ScopedVipsThreadCleanup: a job's libvips error text does not outlive the job.
#include "imaging/scoped_vips_thread_cleanup.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vips/vips8>

#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

TEST(ScopedVipsThreadCleanup, ClearsTheErrorBufferOnScopeExit) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  {
    const ScopedVipsThreadCleanup cleanup;
    vips_error("test", "%s", "left over from a failed job");
    EXPECT_NE(std::string(vips_error_buffer()).find("left over"), std::string::npos);
  }
  EXPECT_STREQ(vips_error_buffer(), "");
}

TEST(ScopedVipsThreadCleanup, ThreadCanUseLibvipsAgainAfterCleanup) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  std::thread worker([] {
    for (int job = 0; job < 3; ++job) {
      const ScopedVipsThreadCleanup cleanup;
      const vips::VImage image = vips::VImage::black(8, 8);
      EXPECT_EQ(image.avg(), 0.0);
    }
  });
  worker.join();
}

}  // namespace
}  // namespace image_resize::imaging
