// format_support: what each format holds, format=same with its png fallback, and format=auto.
#include "imaging/format_support.h"

#include <gtest/gtest.h>

#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

using core::ImageFormat;
using core::OutputFormat;

core::ResizeSpec asking_for(OutputFormat format, core::AcceptedFormats accepts = {}) {
  core::ResizeSpec spec;
  spec.width = 10;
  spec.format = format;
  spec.accepts = accepts;
  return spec;
}

SourceInfo source(ImageFormat format, bool has_alpha = false, int frames = 1) {
  SourceInfo info;
  info.format = format;
  info.width = info.height = 10;
  info.has_alpha = has_alpha;
  info.frames = frames;
  return info;
}

TEST(FormatSupport, EveryFormatCanBeWrittenHere) {
  // This machine's libvips has every saver, heif with both AV1 and HEVC encoders.
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  for (ImageFormat format :
       {ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp, ImageFormat::avif,
        ImageFormat::heic, ImageFormat::gif, ImageFormat::tiff, ImageFormat::jxl}) {
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
    EXPECT_EQ(choose_output_format(asking_for(OutputFormat::same), source(input)).value(), input)
        << core::to_string(input);
  }
}

TEST(ChooseOutputFormat, ExplicitFormatWins) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const auto chosen = [](OutputFormat asked, ImageFormat input) {
    return choose_output_format(asking_for(asked, {true, true}), source(input)).value();
  };
  EXPECT_EQ(chosen(OutputFormat::webp, ImageFormat::jpeg), ImageFormat::webp);
  EXPECT_EQ(chosen(OutputFormat::avif, ImageFormat::heic), ImageFormat::avif);
  EXPECT_EQ(chosen(OutputFormat::tiff, ImageFormat::gif), ImageFormat::tiff);
  EXPECT_EQ(chosen(OutputFormat::jxl, ImageFormat::png), ImageFormat::jxl);
}

TEST(ChooseOutputFormat, AutoPrefersAvifThenWebpThenTheInputsOwnFormat) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const auto chosen = [](core::AcceptedFormats accepts, const SourceInfo& input) {
    return choose_output_format(asking_for(OutputFormat::automatic, accepts), input).value();
  };
  EXPECT_EQ(chosen({.avif = true, .webp = true}, source(ImageFormat::jpeg)), ImageFormat::avif);
  EXPECT_EQ(chosen({.avif = true}, source(ImageFormat::png, true)), ImageFormat::avif);
  EXPECT_EQ(chosen({.webp = true}, source(ImageFormat::jpeg)), ImageFormat::webp);
  EXPECT_EQ(chosen({}, source(ImageFormat::jpeg)), ImageFormat::jpeg);
  EXPECT_EQ(chosen({}, source(ImageFormat::png)), ImageFormat::png);
  // Neither JPEG nor PNG: PNG when there is alpha, JPEG when there is not.
  EXPECT_EQ(chosen({}, source(ImageFormat::webp, true)), ImageFormat::png);
  EXPECT_EQ(chosen({}, source(ImageFormat::tiff, false)), ImageFormat::jpeg);
  EXPECT_EQ(chosen({}, source(ImageFormat::heic, false)), ImageFormat::jpeg);
}

TEST(ChooseOutputFormat, AutoKeepsAnAnimationMoving) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const auto chosen = [](core::AcceptedFormats accepts, const SourceInfo& input) {
    return choose_output_format(asking_for(OutputFormat::automatic, accepts), input).value();
  };
  const SourceInfo animated_gif = source(ImageFormat::gif, true, 5);
  EXPECT_EQ(chosen({.avif = true, .webp = true}, animated_gif), ImageFormat::webp);
  EXPECT_EQ(chosen({.avif = true}, animated_gif), ImageFormat::gif);
  EXPECT_EQ(chosen({}, source(ImageFormat::gif, true, 1)), ImageFormat::png);
}

TEST(MaxSide, WebpIsTheSmallest) {
  EXPECT_EQ(max_side(ImageFormat::webp), 16383);
  EXPECT_GE(max_side(ImageFormat::png), 65535);
}

}  // namespace
}  // namespace image_resize::imaging
