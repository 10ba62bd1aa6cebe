#include "core/resize_spec.h"

#include <gtest/gtest.h>

namespace image_resize::core {
namespace {

TEST(ResizeSpec, EnumNamesRoundTrip) {
  for (Fit fit : {Fit::fill, Fit::inside, Fit::cover, Fit::contain}) {
    EXPECT_EQ(parse_fit(to_string(fit)), fit);
  }
  for (OutputFormat format :
       {OutputFormat::same, OutputFormat::jpeg, OutputFormat::png, OutputFormat::webp,
        OutputFormat::avif, OutputFormat::gif, OutputFormat::tiff}) {
    EXPECT_EQ(parse_output_format(to_string(format)), format);
  }
  for (Priority priority : {Priority::high, Priority::normal, Priority::low}) {
    EXPECT_EQ(parse_priority(to_string(priority)), priority);
  }
  for (ImageFormat format :
       {ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp, ImageFormat::avif,
        ImageFormat::heic, ImageFormat::gif, ImageFormat::tiff}) {
    EXPECT_EQ(parse_image_format(to_string(format)), format);
    EXPECT_TRUE(mime_type(format).starts_with("image/"));
  }
  for (int i = 0; i <= static_cast<int>(Gravity::entropy); ++i) {
    const auto gravity = static_cast<Gravity>(i);
    EXPECT_FALSE(to_string(gravity).empty());
    EXPECT_EQ(parse_gravity(to_string(gravity)), gravity);
  }
  EXPECT_EQ(to_string(Gravity::northeast), "northeast");
  EXPECT_FALSE(parse_gravity("center"));  // the alias is the form's, not a stored name
  EXPECT_FALSE(parse_fit("stretch"));
  EXPECT_FALSE(parse_output_format("bmp"));
  EXPECT_FALSE(parse_priority("urgent"));
}

TEST(ResizeSpec, DefaultsAreThoseOfApiMd) {
  const ResizeSpec spec;
  EXPECT_EQ(spec.fit, Fit::fill);
  EXPECT_EQ(spec.format, OutputFormat::same);
  EXPECT_EQ(spec.quality, 80);
  EXPECT_EQ(spec.priority, Priority::normal);
  EXPECT_FALSE(spec.background);
  EXPECT_EQ(spec.gravity, Gravity::centre);
  EXPECT_EQ(spec.dpr, 1);
  EXPECT_FALSE(spec.progressive);
  EXPECT_FALSE(spec.lossless);
}

TEST(ResizeSpec, DevicePixelsMultiplyAGivenSide) {
  EXPECT_EQ(device_pixels(100, 3), 300);
  EXPECT_EQ(device_pixels(std::nullopt, 3), std::nullopt);
}

TEST(Rgba, ParsesSixAndEightDigitColours) {
  EXPECT_EQ(parse_rgba("#ff8000"), (Rgba{255, 128, 0, 255}));
  EXPECT_EQ(parse_rgba("#FF800040"), (Rgba{255, 128, 0, 64}));
  EXPECT_EQ(format_rgba(Rgba{255, 128, 0, 64}), "#ff800040");
  for (const char* bad : {"", "ff8000", "#ff800", "#ff80000", "#gg8000", "#ff8000400"}) {
    EXPECT_FALSE(parse_rgba(bad)) << bad;
  }
}

TEST(ResizeSpec, MimeTypes) {
  EXPECT_EQ(mime_type(ImageFormat::jpeg), "image/jpeg");
  EXPECT_EQ(mime_type(ImageFormat::png), "image/png");
  EXPECT_EQ(mime_type(ImageFormat::avif), "image/avif");
}

}  // namespace
}  // namespace image_resize::core
