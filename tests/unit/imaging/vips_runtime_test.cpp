// VipsRuntime: libvips started once, with the settings the service depends on.
#include "imaging/vips_runtime.h"

#include <gtest/gtest.h>

#include <string>
#include <vips/vips8>

#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

TEST(VipsRuntime, StartsOnceAndReportsTheSameResult) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
}

TEST(VipsRuntime, OneThreadPerImageAndNoCache) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  EXPECT_EQ(vips_concurrency_get(), VipsRuntime::kConcurrency);
  EXPECT_EQ(VipsRuntime::kConcurrency, 1);
  EXPECT_EQ(vips_cache_get_max(), 0);
}

TEST(VipsRuntime, UntrustedLoadersAreBlockedEvenWhenNamed) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const std::string& svg = test::fixture("vector.svg");
  VipsBlob* blob = vips_blob_new(nullptr, svg.data(), svg.size());
  EXPECT_THROW(vips::VImage::svgload_buffer(blob), vips::VError);
  vips_area_unref(&blob->area);
  vips_error_clear();
}

TEST(VipsRuntime, VipsLogMessagesGoToOurLogger) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  ::testing::internal::CaptureStderr();
  g_log("VIPS", G_LOG_LEVEL_WARNING, "%s", "a test warning from libvips");
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(logged.find("a test warning from libvips"), std::string::npos) << logged;
  EXPECT_NE(logged.find("source=libvips"), std::string::npos) << logged;
}

}  // namespace
}  // namespace image_resize::imaging
