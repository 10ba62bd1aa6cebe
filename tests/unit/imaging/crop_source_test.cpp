// crop=x,y,w,h: the rectangle of the upright source cut out before the resize. The rectangle
// arithmetic (shrink on load, EXIF orientation), plan_resize's geometry, and whole resizes of
// generated images in each format, turned, animated, colour-managed and broken.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imaging/decode.h"
#include "imaging/decode_cropped.h"
#include "imaging/plan.h"
#include "imaging/vips_blob.h"
#include "imaging/vips_image_processor.h"
#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

using core::CropRect;
using core::ErrorCode;
using core::Fit;
using core::OutputFormat;

const std::vector<double> kRed{220, 30, 40};
const std::vector<double> kGrey{128, 128, 128};
const std::vector<double> kBlue{20, 40, 220};

vips::VImage flat(int width, int height, const std::vector<double>& colour) {
  return vips::VImage::black(width, height, vips::VImage::option()->set("bands", 3))
      .new_from_image(colour)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// 400x300 grey with a red 100x100 square at (200, 100) and a blue one at (100, 100).
vips::VImage squares() {
  return flat(400, 300, kGrey)
      .insert(flat(100, 100, kRed), 200, 100)
      .insert(flat(100, 100, kBlue), 100, 100)
      .copy_memory();
}

std::string save(const vips::VImage& image, const char* suffix, vips::VOption* options) {
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size, options);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

// Decoded now: libvips reads the buffer lazily, and `bytes` may be a temporary.
vips::VImage decoded(const std::string& bytes) {
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

// The largest difference of any pixel of `image` (its first three bands) from `colour`.
double largest_difference_from(const vips::VImage& image, const std::vector<double>& colour) {
  const vips::VImage rgb = image.extract_band(0, vips::VImage::option()->set("n", 3));
  return (rgb.cast(VIPS_FORMAT_INT) - colour).abs().max();
}

core::ResizeSpec cropped_spec(CropRect crop, std::optional<int> width, std::optional<int> height,
                              Fit fit = Fit::fill, OutputFormat format = OutputFormat::png) {
  core::ResizeSpec spec = test::make_spec(width, height, fit, format);
  spec.crop = crop;
  return spec;
}

using CropSourceTest = test::ProcessorTest;

// --- The rectangle arithmetic.

TEST(CropRectangles, JpegShrinkKeepsTheCropAtLeastTheScaledSize) {
  EXPECT_EQ(jpeg_crop_shrink({0, 0, 800, 800}, Geometry{100, 100, 100, 100}), 8);
  EXPECT_EQ(jpeg_crop_shrink({0, 0, 799, 800}, Geometry{100, 100, 100, 100}), 4);
  EXPECT_EQ(jpeg_crop_shrink({0, 0, 100, 100}, Geometry{50, 50, 50, 50}), 2);
  EXPECT_EQ(jpeg_crop_shrink({0, 0, 100, 1000}, Geometry{60, 60, 60, 60}), 1);
  EXPECT_EQ(jpeg_crop_shrink({0, 0, 10, 10}, Geometry{500, 500, 500, 500}), 1);  // upscaled
}

TEST(CropRectangles, ShrinkDividesAndStaysInside) {
  EXPECT_EQ(shrink_crop({200, 100, 100, 100}, 2, 200, 150), (CropRect{100, 50, 50, 50}));
  EXPECT_EQ(shrink_crop({0, 0, 300, 200}, 1, 300, 200), (CropRect{0, 0, 300, 200}));
  // 3/2 and 5/2 both round up: moved back inside the 4 (= ceil(7 / 2)) pixels wide image.
  EXPECT_EQ(shrink_crop({3, 0, 5, 7}, 2, 4, 4), (CropRect{1, 0, 3, 4}));
  // Never empty.
  EXPECT_EQ(shrink_crop({5, 5, 1, 1}, 8, 10, 10), (CropRect{1, 1, 1, 1}));
}

// For every orientation: autorot(stored image cut at stored_crop) is the upright image cut at
// the upright rectangle, pixel for pixel.
TEST(CropRectangles, StoredCropIsTheUprightCropTurnedBack) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage stored = test::coordinate_image(40, 30);
  for (int orientation = 1; orientation <= 8; ++orientation) {
    vips::VImage tagged = stored.copy();
    tagged.set(VIPS_META_ORIENTATION, orientation);
    const vips::VImage upright = tagged.autorot();
    const bool turned = orientation >= 5;
    ASSERT_EQ(upright.width(), turned ? 30 : 40);
    for (const CropRect& rect :
         {CropRect{0, 0, upright.width(), upright.height()}, CropRect{3, 5, 7, 11},
          CropRect{upright.width() - 4, upright.height() - 9, 4, 9}, CropRect{12, 0, 1, 1}}) {
      const CropRect s = stored_crop(rect, orientation, 40, 30);
      vips::VImage piece = stored.extract_area(s.x, s.y, s.width, s.height).copy();
      piece.set(VIPS_META_ORIENTATION, orientation);
      EXPECT_TRUE(test::same_image(piece.autorot(),
                                   upright.extract_area(rect.x, rect.y, rect.width, rect.height)))
          << "orientation " << orientation << ", crop " << rect.x << "," << rect.y << ","
          << rect.width << "," << rect.height;
    }
  }
}

// --- plan_resize.

TEST(CropPlan, GeometryIsThatOfTheCrop) {
  SourceInfo source;
  source.format = core::ImageFormat::png;
  source.width = 400;
  source.height = 300;
  core::Result<Context> planned =
      plan_resize("", cropped_spec({200, 100, 100, 50}, 50, std::nullopt), core::Limits{}, source);
  ASSERT_TRUE(planned.ok()) << planned.error().log_message();
  EXPECT_EQ(planned->geometry.scaled_width, 50);
  EXPECT_EQ(planned->geometry.scaled_height, 25);
  EXPECT_EQ(planned->geometry.target_height, 25);

  planned =
      plan_resize("", cropped_spec({0, 0, 200, 100}, 50, 50, Fit::cover), core::Limits{}, source);
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned->geometry.scaled_width, 100);
  EXPECT_EQ(planned->geometry.scaled_height, 50);
  EXPECT_EQ(planned->geometry.target_width, 50);
}

TEST(CropPlan, CropOutsideTheUprightImageIsInvalidCrop) {
  SourceInfo source;
  source.format = core::ImageFormat::jpeg;
  source.width = 200;  // stored; upright 300x200
  source.height = 300;
  source.orientation = 6;
  // Inside the upright image, outside the stored one.
  EXPECT_TRUE(plan_resize("", cropped_spec({0, 0, 300, 200}, 50, 50), core::Limits{}, source).ok());
  core::Result<Context> planned =
      plan_resize("", cropped_spec({0, 0, 200, 300}, 50, 50), core::Limits{}, source);
  ASSERT_FALSE(planned.ok());
  EXPECT_EQ(planned.error().code, ErrorCode::invalid_crop);
  EXPECT_NE(planned.error().public_message.find("300x200"), std::string::npos)
      << planned.error().public_message;
}

// --- Whole resizes.

struct Encoding {
  std::string name;
  std::string suffix;
  bool lossless;
  double tolerance;  // of any pixel from the square's colour
};

void PrintTo(  // NOLINT(readability-identifier-naming)
    const Encoding& e, std::ostream* out) {
  *out << e.name;
}

class CropFormatsTest : public CropSourceTest, public ::testing::WithParamInterface<Encoding> {
 protected:
  std::string encoded(const vips::VImage& image) const {
    const Encoding& e = GetParam();
    vips::VOption* options = vips::VImage::option()->set("strip", true);
    if (e.suffix == ".jpg") options->set("Q", 95);
    if (e.suffix == ".webp") options->set("lossless", e.lossless);
    return save(image, e.suffix.c_str(), options);
  }
};

TEST_P(CropFormatsTest, CropsExactlyTheSquare) {
  const std::string input = encoded(squares());
  const ResizedImage out = resize(input, cropped_spec({200, 100, 100, 100}, 50, 50));
  EXPECT_EQ(out.width, 50);
  EXPECT_EQ(out.height, 50);
  const vips::VImage result = decoded(out.bytes);
  ASSERT_EQ(result.width(), 50);
  ASSERT_EQ(result.height(), 50);
  EXPECT_LE(largest_difference_from(result, kRed), GetParam().tolerance);
}

TEST_P(CropFormatsTest, CropsAroundTheSquareCorner) {
  // 100x100 from (150, 50): grey above, blue in the bottom-left quarter, red bottom-right.
  const ResizedImage out = resize(encoded(squares()), cropped_spec({150, 50, 100, 100}, 100, 100));
  const vips::VImage result = decoded(out.bytes);
  ASSERT_EQ(result.width(), 100);
  ASSERT_EQ(result.height(), 100);
  const double tolerance = GetParam().tolerance;
  EXPECT_LE(largest_difference_from(result.extract_area(53, 53, 47, 47), kRed), tolerance);
  EXPECT_LE(largest_difference_from(result.extract_area(0, 53, 47, 47), kBlue), tolerance);
  EXPECT_LE(largest_difference_from(result.extract_area(0, 0, 100, 47), kGrey), tolerance);
}

TEST_P(CropFormatsTest, UpscalesASmallCrop) {
  const ResizedImage out = resize(encoded(squares()), cropped_spec({220, 120, 20, 10}, 200, 100));
  const vips::VImage result = decoded(out.bytes);
  ASSERT_EQ(result.width(), 200);
  ASSERT_EQ(result.height(), 100);
  EXPECT_LE(largest_difference_from(result, kRed), GetParam().tolerance);
}

INSTANTIATE_TEST_SUITE_P(Encodings, CropFormatsTest,
                         ::testing::Values(Encoding{"jpeg", ".jpg", false, 24},
                                           Encoding{"png", ".png", true, 1},
                                           Encoding{"webp_lossless", ".webp", true, 1},
                                           Encoding{"webp_lossy", ".webp", false, 40},
                                           Encoding{"tiff", ".tif", true, 1}),
                         [](const auto& test_case) { return test_case.param.name; });

TEST_F(CropSourceTest, CoverAndGravityApplyToTheCrop) {
  // 200x100 from (100, 100): blue | red. Covering 50x50 keeps one of the halves.
  for (const std::string& input : {test::to_png(squares()), test::to_jpeg(squares())}) {
    core::ResizeSpec spec = cropped_spec({100, 100, 200, 100}, 50, 50, Fit::cover);
    spec.gravity = core::Gravity::west;
    vips::VImage result = decoded(resize(input, spec).bytes);
    ASSERT_EQ(result.width(), 50);
    ASSERT_EQ(result.height(), 50);
    EXPECT_LE(largest_difference_from(result.extract_area(0, 0, 45, 50), kBlue), 24);
    spec.gravity = core::Gravity::east;
    result = decoded(resize(input, spec).bytes);
    EXPECT_LE(largest_difference_from(result.extract_area(5, 0, 45, 50), kRed), 24);
  }
}

TEST_F(CropSourceTest, WholeImageCropMatchesNoCrop) {
  struct Case {
    const char* name;
    double largest;  // difference of any band of any pixel
    double average;
  };
  // The uncropped path decodes JPEG and PNG with its own decoders, and WebP shrunk by libwebp.
  for (const Case& c :
       {Case{"photo.jpg", 12, 1}, Case{"reference.png", 12, 1}, Case{"photo.webp", 24, 2},
        Case{"cmyk.jpg", 12, 1}, Case{"progressive.jpg", 12, 1}, Case{"photo.gif", 12, 1},
        Case{"photo.tif", 12, 1}, Case{"display_p3.png", 12, 1},
        Case{"orientation_6.jpg", 12, 1}}) {
    const std::string& input = test::fixture(c.name);
    core::Result<ImageInfo> info = processor_.probe(input, core::Limits{});
    ASSERT_TRUE(info.ok()) << c.name;
    const core::ResizeSpec plain =
        test::make_spec(info->width / 2, std::nullopt, Fit::fill, OutputFormat::png);
    core::ResizeSpec whole = plain;
    whole.crop = CropRect{0, 0, info->width, info->height};
    const vips::VImage expected = decoded(resize(input, plain).bytes);
    const vips::VImage actual = decoded(resize(input, whole).bytes);
    ASSERT_EQ(actual.width(), expected.width()) << c.name;
    ASSERT_EQ(actual.height(), expected.height()) << c.name;
    ASSERT_EQ(actual.bands(), expected.bands()) << c.name;
    EXPECT_LE(test::largest_difference(actual, expected), c.largest) << c.name;
    EXPECT_LE((actual.cast(VIPS_FORMAT_INT) - expected.cast(VIPS_FORMAT_INT)).abs().avg(),
              c.average)
        << c.name;
  }
}

TEST_F(CropSourceTest, AlphaIsResizedAsThumbnailDoes) {
  // Premultiplied in float, as libvips' thumbnail (the uncropped PNG path premultiplies in 8
  // bits, which differs where alpha is low).
  const std::string& input = test::fixture("alpha.png");  // 150x100
  const vips::VImage actual = decoded(resize(input, cropped_spec({0, 0, 150, 100}, 75, 50)).bytes);
  const VipsBlobPtr blob(vips_blob_new(nullptr, input.data(), input.size()));
  const vips::VImage expected =
      vips::VImage::thumbnail_buffer(
          blob.get(), 75, vips::VImage::option()->set("height", 50)->set("size", VIPS_SIZE_FORCE))
          .copy_memory();
  EXPECT_TRUE(test::same_image(actual, expected));
}

TEST_F(CropSourceTest, EveryFormatGivesThePlannedSize) {
  for (const char* name :
       {"photo.jpg", "reference.png", "photo.webp", "photo.gif", "photo.tif", "photo.avif",
        "photo.heic", "cmyk.jpg", "progressive.jpg", "rgb16.png", "alpha.png"}) {
    const ResizedImage out = resize(test::fixture(name), cropped_spec({10, 20, 40, 30}, 61, 43));
    EXPECT_EQ(out.width, 61) << name;
    EXPECT_EQ(out.height, 43) << name;
    const test::Decoded d = test::decode_output(out.bytes);
    EXPECT_EQ(d.width, 61) << name;
    EXPECT_EQ(d.height, 43) << name;
  }
}

TEST_F(CropSourceTest, AlphaIsKept) {
  const ResizedImage out =
      resize(test::fixture("alpha.png"), cropped_spec({20, 10, 100, 80}, 50, std::nullopt));
  const test::Decoded d = test::decode_output(out.bytes);
  EXPECT_TRUE(d.has_alpha);
  EXPECT_EQ(d.width, 50);
  EXPECT_EQ(d.height, 40);
}

TEST_F(CropSourceTest, CmykJpegIsColourManaged) {
  const ResizedImage out =
      resize(test::fixture("cmyk.jpg"),
             cropped_spec({100, 50, 150, 100}, 75, 50, Fit::fill, OutputFormat::jpeg));
  const test::Decoded d = test::decode_output(out.bytes);
  EXPECT_EQ(d.width, 75);
  EXPECT_EQ(d.height, 50);
  EXPECT_EQ(d.bands, 3);
  EXPECT_EQ(d.interpretation, VIPS_INTERPRETATION_sRGB);
}

// The upright image `squares()` stored so that EXIF `orientation` turns it upright.
std::string turned_jpeg(int orientation) {
  const vips::VImage upright = squares();
  vips::VImage stored;
  switch (orientation) {
    case 2: stored = upright.fliphor(); break;
    case 3: stored = upright.rot180(); break;
    case 4: stored = upright.flipver(); break;
    case 5: stored = upright.rot90().fliphor(); break;
    case 6: stored = upright.rot270(); break;
    case 7: stored = upright.rot270().fliphor(); break;
    case 8: stored = upright.rot90(); break;
    default: stored = upright; break;
  }
  stored = stored.copy_memory().copy();
  stored.set(VIPS_META_ORIENTATION, orientation);
  EXPECT_TRUE(test::same_image(stored.autorot(), upright)) << "orientation " << orientation;
  return save(stored, ".jpg", vips::VImage::option()->set("Q", 95));
}

class CropOrientationTest : public CropSourceTest, public ::testing::WithParamInterface<int> {};

TEST_P(CropOrientationTest, CropIsInUprightCoordinates) {
  const std::string input = turned_jpeg(GetParam());
  core::Result<ImageInfo> info = processor_.probe(input, core::Limits{});
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->width, 400);  // upright
  ASSERT_EQ(info->height, 300);
  ResizedImage out = resize(input, cropped_spec({200, 100, 100, 100}, 50, 50));
  vips::VImage result = decoded(out.bytes);
  ASSERT_EQ(result.width(), 50);
  ASSERT_EQ(result.height(), 50);
  EXPECT_LE(largest_difference_from(result, kRed), 24);

  // Asymmetric: 200x100 from (150, 50) at half size. Of it, the top half is grey, the bottom
  // half blue (x 0..25), red (25..75) and grey (75..100).
  out = resize(input, cropped_spec({150, 50, 200, 100}, 100, std::nullopt));
  result = decoded(out.bytes);
  ASSERT_EQ(result.width(), 100);
  ASSERT_EQ(result.height(), 50);
  EXPECT_LE(largest_difference_from(result.extract_area(0, 0, 100, 22), kGrey), 24);
  EXPECT_LE(largest_difference_from(result.extract_area(0, 28, 22, 22), kBlue), 24);
  EXPECT_LE(largest_difference_from(result.extract_area(28, 28, 44, 22), kRed), 24);
  EXPECT_LE(largest_difference_from(result.extract_area(78, 28, 22, 22), kGrey), 24);
}

INSTANTIATE_TEST_SUITE_P(Orientations, CropOrientationTest, ::testing::Range(1, 9));

TEST_F(CropSourceTest, OrientationSixFixture) {
  const std::string& input = test::fixture("orientation_6.jpg");  // stored 200x300
  core::Result<ImageInfo> info = processor_.probe(input, core::Limits{});
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->width, 300);
  ASSERT_EQ(info->height, 200);
  const ResizedImage out = resize(input, cropped_spec({0, 0, 300, 100}, 150, std::nullopt));
  EXPECT_EQ(out.width, 150);
  EXPECT_EQ(out.height, 50);
  // The same as the top half of the uncropped resize.
  const vips::VImage whole = decoded(
      resize(input, test::make_spec(150, std::nullopt, Fit::fill, OutputFormat::png)).bytes);
  const vips::VImage top = decoded(out.bytes);
  ASSERT_EQ(whole.height(), 100);
  EXPECT_LE((top.extract_area(0, 2, 150, 46).cast(VIPS_FORMAT_INT) -
             whole.extract_area(0, 2, 150, 46).cast(VIPS_FORMAT_INT))
                .abs()
                .avg(),
            6.0);
  // Outside the upright image, though inside the stored one.
  const core::Result<ResizedImage> refused =
      processor_.resize(input, cropped_spec({0, 0, 200, 300}, 50, 50), core::Limits{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_crop);
}

TEST_F(CropSourceTest, AnimationsKeepEveryFrame) {
  for (const char* name : {"animated.gif", "animated.webp"}) {  // 120x80, 4 frames
    const ResizedImage out =
        resize(test::fixture(name),
               cropped_spec({20, 10, 60, 40}, 30, std::nullopt, Fit::fill, OutputFormat::same));
    EXPECT_EQ(out.width, 30) << name;
    EXPECT_EQ(out.height, 20) << name;
    const test::Decoded d = test::decode_output(out.bytes);
    EXPECT_EQ(d.frames, 4) << name;
    EXPECT_EQ(d.width, 30) << name;
    EXPECT_EQ(d.height, 20) << name;
  }
}

TEST_F(CropSourceTest, AnimationFramesAreCroppedOneByOne) {
  // Four 60x40 frames, each its own colour; the crop of the lower right of each.
  std::vector<vips::VImage> frames;
  const std::vector<std::vector<double>> colours{kRed, kBlue, kGrey, {30, 200, 40}};
  for (const auto& colour : colours) {
    frames.push_back(flat(60, 40, {250, 250, 250}).insert(flat(30, 20, colour), 30, 20));
  }
  const vips::VImage animation = test::animation(frames);
  const std::string input = save(animation, ".webp", vips::VImage::option()->set("lossless", true));
  const ResizedImage out =
      resize(input, cropped_spec({30, 20, 30, 20}, 15, 10, Fit::fill, OutputFormat::same));
  const vips::VImage result = vips::VImage::new_from_buffer(out.bytes.data(), out.bytes.size(), "",
                                                            vips::VImage::option()->set("n", -1));
  ASSERT_EQ(result.width(), 15);
  ASSERT_EQ(vips_image_get_page_height(result.get_image()), 10);
  ASSERT_EQ(result.height(), 40);
  for (int i = 0; i < 4; ++i) {
    EXPECT_LE(largest_difference_from(result.extract_area(0, i * 10, 15, 10), colours[i]), 12)
        << "frame " << i;  // lossy webp out
  }
}

TEST_F(CropSourceTest, TruncatedInputFails) {
  for (const char* name : {"truncated.jpg", "truncated.png"}) {
    core::Result<ImageInfo> info = processor_.probe(test::fixture(name), core::Limits{});
    ASSERT_TRUE(info.ok()) << name;
    for (const CropRect& crop :
         {CropRect{0, 0, info->width, info->height},
          CropRect{info->width / 2, info->height / 2, info->width / 2, info->height / 2}}) {
      const core::Result<ResizedImage> resized =
          processor_.resize(test::fixture(name), cropped_spec(crop, 40, 30), core::Limits{});
      ASSERT_FALSE(resized.ok()) << name;
      EXPECT_EQ(resized.error().code, ErrorCode::decode_failed)
          << name << ": " << resized.error().log_message();
    }
  }
}

TEST_F(CropSourceTest, CropOutsideTheImageIsInvalidCrop) {
  const core::Result<ResizedImage> resized = processor_.resize(
      test::fixture("photo.jpg"), cropped_spec({10, 20, 500, 400}, 50, 50), core::Limits{});
  ASSERT_FALSE(resized.ok());
  EXPECT_EQ(resized.error().code, ErrorCode::invalid_crop);
  EXPECT_EQ(resized.error().public_message,
            "crop 10,20,500,400 reaches outside the 300x200 image; x+w must be at most 300 and "
            "y+h at most 200");
}

}  // namespace
}  // namespace image_resize::imaging
