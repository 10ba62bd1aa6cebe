// Pipeline: named steps run in order over one Context; a libvips exception inside a step
// becomes that step's error code, and nothing after a failing step runs.
#include "imaging/pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

TEST(Pipeline, StandardStepsInOrder) {
  std::vector<std::string> names;
  for (const Step& step : Pipeline::standard().steps()) names.emplace_back(step.name);
  EXPECT_EQ(names, (std::vector<std::string>{"decode", "to_srgb", "crop", "flatten", "embed",
                                             "strip_metadata", "encode", "placeholder"}));
}

core::Status mark_first(Context& context) {
  context.output += "1";
  return {};
}
core::Status throw_vips_error(Context& context) {
  context.output += "2";
  throw vips::VError("something in libvips failed");
}
core::Status refuse(Context& /*context*/) {
  return core::Error::make(core::ErrorCode::image_too_large, "too large");
}
core::Status mark_last(Context& context) {
  context.output += "3";
  return {};
}

TEST(Pipeline, LibvipsExceptionBecomesTheStepsCodeAndStops) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const Pipeline pipeline({{"first", mark_first, core::ErrorCode::internal},
                           {"thrower", throw_vips_error, core::ErrorCode::encode_failed},
                           {"last", mark_last, core::ErrorCode::internal}});
  Context context;
  const core::Status status = pipeline.run(context);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::encode_failed);
  EXPECT_EQ(status.error().internal_message, "thrower: something in libvips failed");
  EXPECT_EQ(context.output, "12");
}

TEST(Pipeline, StepErrorIsReturnedAsIs) {
  const Pipeline pipeline({{"refuse", refuse, core::ErrorCode::internal},
                           {"last", mark_last, core::ErrorCode::internal}});
  Context context;
  const core::Status status = pipeline.run(context);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::image_too_large);
  EXPECT_EQ(context.output, "");
}

TEST(Pipeline, AllStepsRunWhenAllSucceed) {
  const Pipeline pipeline({{"first", mark_first, core::ErrorCode::internal},
                           {"last", mark_last, core::ErrorCode::internal}});
  Context context;
  EXPECT_TRUE(pipeline.run(context).ok());
  EXPECT_EQ(context.output, "13");
}

}  // namespace
}  // namespace image_resize::imaging
