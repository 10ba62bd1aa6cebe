#include "isolation/resize_protocol.h"

#include <gtest/gtest.h>

namespace image_resize::isolation {
namespace {

TEST(ResizeProtocol, ARequestHeaderCarriesEverySpecAndLimitField) {
  core::ResizeSpec spec;
  spec.width = 640;
  spec.fit = core::Fit::contain;
  spec.format = core::OutputFormat::webp;
  spec.quality = 42;
  spec.background = core::Rgba{1, 2, 3, 4};
  spec.priority = core::Priority::low;
  spec.gravity = core::Gravity::attention;
  spec.dpr = 3;
  spec.progressive = true;
  spec.lossless = true;
  spec.strip = false;
  spec.crop = core::CropRect{5, 6, 70, 80};
  spec.format = core::OutputFormat::automatic;
  spec.accepts = {.webp = true};
  core::Limits limits;
  limits.max_upload_bytes = 11;
  limits.max_input_pixels = 12;
  limits.max_interlaced_pixels = 17;
  limits.max_output_side = 13;
  limits.max_frames = 14;
  limits.max_queue_depth = 15;
  limits.max_processing_time = std::chrono::milliseconds(16);

  // Through text, as on the socket.
  auto parsed = parse_request_header(nlohmann::json::parse(request_header(spec, limits).dump()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().log_message();
  EXPECT_EQ(parsed->spec, spec);
  EXPECT_FALSE(parsed->spec.height);
  EXPECT_EQ(parsed->limits, limits);

  spec.background.reset();
  spec.height = 480;
  spec.width.reset();
  parsed = parse_request_header(request_header(spec, core::Limits{}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->spec, spec);
  EXPECT_EQ(parsed->limits, core::Limits{});
}

TEST(ResizeProtocol, AHeaderThatIsNotARequestIsAnInternalError) {
  for (const char* text : {R"({})", R"({"spec":{},"limits":{}})", R"([1,2])",
                           R"({"spec":{"width":1,"height":null,"fit":"sideways","format":"png",
                               "quality":80,"background":null,"priority":"high"},"limits":{}})",
                           R"({"spec":{"width":1,"height":null,"fit":"cover","format":"png",
                               "quality":80,"background":null,"priority":"high",
                               "gravity":"up","dpr":1,"progressive":false,"lossless":false},
                               "limits":{}})"}) {
    auto parsed = parse_request_header(nlohmann::json::parse(text));
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::internal);
  }
}

TEST(ResizeProtocol, ASuccessReplyCarriesTheImage) {
  const imaging::ResizedImage image{.bytes = "png bytes",
                                    .width = 30,
                                    .height = 20,
                                    .format = core::ImageFormat::png,
                                    .blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
                                    .dominant_colour = "#102030"};
  auto parsed = parse_reply(Message{reply_header(image), image.bytes, {}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().log_message();
  EXPECT_EQ(parsed->bytes, "png bytes");
  EXPECT_EQ(parsed->width, 30);
  EXPECT_EQ(parsed->height, 20);
  EXPECT_EQ(parsed->format, core::ImageFormat::png);
  EXPECT_EQ(parsed->blurhash, "LEHV6nWB2yk8pyo0adR*.7kCMdnj");
  EXPECT_EQ(parsed->dominant_colour, "#102030");
}

TEST(ResizeProtocol, AFailureReplyKeepsTheCodeAndBothMessages) {
  const core::Result<imaging::ResizedImage> failed = core::Error::make(
      core::ErrorCode::decode_failed, "The image data is corrupt.", "VipsJpeg: premature end");
  auto parsed = parse_reply(Message{reply_header(failed), "", {}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, core::ErrorCode::decode_failed);
  EXPECT_EQ(parsed.error().public_message, "The image data is corrupt.");
  EXPECT_EQ(parsed.error().internal_message, "VipsJpeg: premature end");
}

TEST(ResizeProtocol, AReplyThatIsNotOneIsAnInternalError) {
  for (const char* text : {R"({})", R"({"ok":false,"code":"no_such_code","public_message":"",
                                       "internal_message":""})",
                           R"({"ok":true,"width":1,"height":1,"format":"bmp"})"}) {
    auto parsed = parse_reply(Message{nlohmann::json::parse(text), "", {}});
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::internal);
  }
}

}  // namespace
}  // namespace image_resize::isolation
