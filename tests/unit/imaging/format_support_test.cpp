// format_support: what each format holds, and format=same with its png fallback.
#include "imaging/format_support.h"

#include <gtest/gtest.h>

#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

using core::ImageFormat;
using core::OutputFormat;

TEST(FormatSupport, EveryFormatCanBeWrittenHere) {
  // This machine's libvips has every saver, heif with both AV1 and HEVC encoders.
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  for (ImageFormat format :
       {ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp, ImageFormat::avif,
        ImageFormat::heic, ImageFormat::gif, ImageFormat::tiff}) {
    EXPECT_TRUE(can_save(format)) << core::to_string(format);
  }
}

TEST(FormatSupport, AlphaAndAnimation) {
  EXPECT_FALSE(supports_alpha(ImageFormat::jpeg));
  EXPECT_TRUE(supports_alpha(ImageFormat::png));
  EXPECT_TRUE(supports_alpha(ImageFormat::avif));
  EXPECT_TRUE(supports_animation(ImageFormat::gif));
  EXPECT_TRUE(supports_animation(ImageFormat::webp));
  EXPECT_FALSE(supports_animation(ImageFormat::png));
}

TEST(ChooseOutputFormat, SameIsTheInputsFormat) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  for (ImageFormat input :
       {ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp, ImageFormat::avif,
        ImageFormat::heic, ImageFormat::gif, ImageFormat::tiff}) {
    EXPECT_EQ(choose_output_format(OutputFormat::same, input).value(), input)
        << core::to_string(input);
  }
}

TEST(ChooseOutputFormat, ExplicitFormatWins) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  EXPECT_EQ(choose_output_format(OutputFormat::webp, ImageFormat::jpeg).value(), ImageFormat::webp);
  EXPECT_EQ(choose_output_format(OutputFormat::avif, ImageFormat::heic).value(), ImageFormat::avif);
  EXPECT_EQ(choose_output_format(OutputFormat::tiff, ImageFormat::gif).value(), ImageFormat::tiff);
}

TEST(MaxSide, WebpIsTheSmallest) {
  EXPECT_EQ(max_side(ImageFormat::webp), 16383);
  EXPECT_GE(max_side(ImageFormat::png), 65535);
}

}  // namespace
}  // namespace image_resize::imaging
