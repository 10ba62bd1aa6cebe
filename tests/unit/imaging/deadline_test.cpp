// The processing deadline (Limits::max_processing_time): a resize that outlives it ends with
// `timeout`, whether libvips is stopped in the middle of encoding or the deadline is seen
// between steps; one within it is untouched.
#include <gtest/gtest.h>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using namespace std::chrono_literals;

// A 4000x3000 noisy JPEG: real work for the decoder, a few hundred ms per resize.
const std::string& large_photo() {
  static const std::string bytes = [] {
    vips::VImage noise =
        vips::VImage::gaussnoise(4000, 3000, vips::VImage::option()->set("sigma", 40))
            .bandjoin({vips::VImage::gaussnoise(4000, 3000), vips::VImage::gaussnoise(4000, 3000)})
            .cast(VIPS_FORMAT_UCHAR);
    void* buffer = nullptr;
    std::size_t size = 0;
    noise.write_to_buffer(".jpg", &buffer, &size);
    std::string jpeg(static_cast<const char*>(buffer), size);
    g_free(buffer);
    return jpeg;
  }();
  return bytes;
}

core::Limits with_deadline(std::chrono::milliseconds time) {
  core::Limits limits;
  limits.max_processing_time = time;
  return limits;
}

TEST(ProcessingDeadline, AResizePastTheDeadlineEndsWithTimeout) {
  VipsImageProcessor processor;
  auto resized = processor.resize(large_photo(), test::make_spec(800, 600), with_deadline(1ms));
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, core::ErrorCode::timeout) << resized.error().log_message();
  EXPECT_NE(resized.error().public_message.find("1 ms"), std::string::npos);
}

TEST(ProcessingDeadline, AResizeWithinTheDeadlineSucceeds) {
  VipsImageProcessor processor;
  auto resized = processor.resize(large_photo(), test::make_spec(800, 600), with_deadline(60s));
  ASSERT_TRUE(resized.ok()) << resized.error().log_message();
  EXPECT_EQ(resized->width, 800);
}

TEST(ProcessingDeadline, NoDeadlineWhenTheLimitIsZero) {
  VipsImageProcessor processor;
  auto resized =
      processor.resize(test::fixture("photo.jpg"), test::make_spec(40, 30), with_deadline(0ms));
  ASSERT_TRUE(resized.ok()) << resized.error().log_message();
}

TEST(ProcessingDeadline, TheProcessorWorksNormallyAfterATimeout) {
  VipsImageProcessor processor;
  ASSERT_FALSE(processor.resize(large_photo(), test::make_spec(800, 600), with_deadline(1ms)).ok());
  auto resized = processor.resize(test::fixture("photo.jpg"), test::make_spec(40, 30), {});
  ASSERT_TRUE(resized.ok()) << resized.error().log_message();
}

}  // namespace
}  // namespace image_resize::imaging
