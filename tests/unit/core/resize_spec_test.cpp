#include "core/resize_spec.h"

#include <gtest/gtest.h>

namespace image_resize::core {
namespace {

TEST(ResizeSpec, EnumNamesRoundTrip) {
  for (Fit fit : {Fit::fill, Fit::inside, Fit::cover, Fit::contain}) {
    EXPECT_EQ(parse_fit(to_string(fit)), fit);
  }
  for (OutputFormat format : {OutputFormat::same, OutputFormat::jpeg, OutputFormat::png,
                              OutputFormat::webp, OutputFormat::avif, OutputFormat::gif,
                              OutputFormat::tiff, OutputFormat::jxl, OutputFormat::automatic}) {
    EXPECT_EQ(parse_output_format(to_string(format)), format);
  }
  for (Priority priority : {Priority::high, Priority::normal, Priority::low}) {
    EXPECT_EQ(parse_priority(to_string(priority)), priority);
  }
  for (ImageFormat format :
       {ImageFormat::jpeg, ImageFormat::png, ImageFormat::webp, ImageFormat::avif,
        ImageFormat::heic, ImageFormat::gif, ImageFormat::tiff, ImageFormat::jxl}) {
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
  EXPECT_TRUE(spec.strip);
  EXPECT_FALSE(spec.crop);
  EXPECT_EQ(spec.accepts, AcceptedFormats{});
}

TEST(ResizeSpec, AutoIsTheFormName) {
  EXPECT_EQ(to_string(OutputFormat::automatic), "auto");
  EXPECT_EQ(parse_output_format("auto"), OutputFormat::automatic);
  EXPECT_EQ(mime_type(ImageFormat::jxl), "image/jxl");
}

TEST(AcceptedFormats, StoredFormRoundTrips) {
  for (const AcceptedFormats accepts :
       {AcceptedFormats{}, AcceptedFormats{.avif = true}, AcceptedFormats{.webp = true},
        AcceptedFormats{.avif = true, .webp = true}}) {
    EXPECT_EQ(parse_accepted_formats(to_string(accepts)), accepts) << to_string(accepts);
  }
  EXPECT_EQ(to_string(AcceptedFormats{.avif = true, .webp = true}), "avif,webp");
  EXPECT_FALSE(parse_accepted_formats("webp,avif"));
  EXPECT_FALSE(parse_accepted_formats("jpeg"));
}

TEST(CropRect, ParsesFourIntegers) {
  EXPECT_EQ(parse_crop("0,0,1,1"), (CropRect{0, 0, 1, 1}));
  EXPECT_EQ(parse_crop("10,20,300,400"), (CropRect{10, 20, 300, 400}));
  EXPECT_EQ(to_string(CropRect{10, 20, 300, 400}), "10,20,300,400");
  EXPECT_EQ(parse_crop("1073741824,0,1,1"), (CropRect{1 << 30, 0, 1, 1}));
  for (const char* bad :
       {"", "1,2,3", "1,2,3,4,", "1,2,3,4,5", ",1,2,3", "0,0,0,1", "0,0,1,0", "-1,0,1,1",
        "0,0,+1,1", "0, 0,1,1", "0,0,1.0,1", "1073741825,0,1,1", "99999999999,0,1,1", "a,b,c,d"}) {
    EXPECT_FALSE(parse_crop(bad)) << bad;
  }
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

ResizeSpec with_crop(int x, int y, int width, int height) {
  ResizeSpec spec;
  spec.width = 50;
  spec.crop = CropRect{x, y, width, height};
  return spec;
}

TEST(CheckCrop, NoCropIsAlwaysFine) {
  EXPECT_TRUE(check_crop(ResizeSpec{}, 300, 200).ok());
  EXPECT_TRUE(check_crop(ResizeSpec{}, 0, 0).ok());
}

TEST(CheckCrop, AcceptsRectanglesInsideUpToTheBorder) {
  EXPECT_TRUE(check_crop(with_crop(0, 0, 300, 200), 300, 200).ok());  // the whole image
  EXPECT_TRUE(check_crop(with_crop(10, 20, 290, 180), 300, 200).ok());
  EXPECT_TRUE(check_crop(with_crop(299, 199, 1, 1), 300, 200).ok());  // the last pixel
  EXPECT_TRUE(check_crop(with_crop(0, 0, 1, 1), 1, 1).ok());
}

TEST(CheckCrop, RefusesOnePixelOver) {
  for (const ResizeSpec& spec :
       {with_crop(1, 0, 300, 200), with_crop(0, 1, 300, 200), with_crop(0, 0, 301, 200),
        with_crop(0, 0, 300, 201), with_crop(300, 0, 1, 1), with_crop(0, 200, 1, 1)}) {
    const Status status = check_crop(spec, 300, 200);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::invalid_crop);
  }
}

TEST(CheckCrop, RefusesEmptyOrNegativeRectangles) {
  for (const ResizeSpec& spec :
       {with_crop(0, 0, 0, 10), with_crop(0, 0, 10, 0), with_crop(0, 0, -5, 10),
        with_crop(0, 0, 10, -1), with_crop(-1, 0, 10, 10), with_crop(0, -1, 10, 10)}) {
    const Status status = check_crop(spec, 300, 200);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::invalid_crop);
    EXPECT_NE(status.error().public_message.find("at least"), std::string::npos);
  }
}

TEST(CheckCrop, HugeValuesDoNotOverflow) {
  const Status status = check_crop(with_crop(2147483647, 0, 2147483647, 1), 300, 200);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid_crop);
}

TEST(CheckCrop, MessageNamesTheCropAndTheImageSize) {
  const Status outside = check_crop(with_crop(10, 20, 500, 400), 300, 200);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().public_message,
            "crop 10,20,500,400 reaches outside the 300x200 image; x+w must be at most 300 and "
            "y+h at most 200");
  const Status empty = check_crop(with_crop(0, -3, 0, 4), 300, 200);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().public_message.find("crop 0,-3,0,4"), std::string::npos);
}

}  // namespace
}  // namespace image_resize::core
