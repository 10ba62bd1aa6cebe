// read_source_info and the decode step: header facts, shrink-on-load to the planned size,
// auto-rotation, animation frames, and strictness with broken data.
#include "imaging/decode.h"

#include <gtest/gtest.h>

#include "imaging/encode.h"
#include "imaging/frames.h"
#include "imaging/plan.h"
#include "imaging/vips_blob.h"
#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"
#include "support/image_similarity.h"

namespace image_resize::imaging {
namespace {

using test::fixture;

// Plans `spec` for `file` and runs only the decode step.
Context decoded(const std::string& file, const core::ResizeSpec& spec) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  const core::Result<SourceInfo> source = read_source_info(fixture(file), core::Limits{});
  EXPECT_TRUE(source.ok());
  core::Result<Context> context = plan_resize(fixture(file), spec, core::Limits{}, *source);
  EXPECT_TRUE(context.ok());
  const core::Status status = decode(*context);
  EXPECT_TRUE(status.ok()) << status.error().log_message();
  return std::move(context).value();
}

TEST(ReadSourceInfo, ReportsStoredSizeAndOrientation) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const core::Result<SourceInfo> info =
      read_source_info(fixture("orientation_6.jpg"), core::Limits{});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 200);
  EXPECT_EQ(info->height, 300);
  EXPECT_EQ(info->orientation, 6);
  EXPECT_EQ(info->upright_width(), 300);
  EXPECT_EQ(info->upright_height(), 200);
}

TEST(Decode, ShrinksOnLoadToThePlannedSize) {
  const Context context = decoded("photo.jpg", test::make_spec(60, 40, core::Fit::fill));
  EXPECT_EQ(context.image.width(), 60);
  EXPECT_EQ(context.image.height(), 40);
}

// A JPEG without a colour profile takes the direct decoder (jpeg_direct.h) and resize; the
// pixels must be exactly those of the libvips path it stands in for: jpegload, thumbnail_image.
TEST(Decode, DirectJpegPathGivesTheLibvipsPathsPixels) {
  for (const char* file : {"photo.jpg", "orientation_6.jpg"}) {
    SCOPED_TRACE(file);
    const core::ResizeSpec spec = test::make_spec(61, 43, core::Fit::fill);
    const Context context = decoded(file, spec);
    const vips::VImage loaded = vips::VImage::new_from_buffer(
        fixture(file), "",
        vips::VImage::option()->set("shrink",
                                    jpeg_shrink_on_load(context.source, context.geometry)));
    const vips::VImage by_libvips = loaded.thumbnail_image(
        61, vips::VImage::option()->set("height", 43)->set("size", VIPS_SIZE_FORCE));
    ASSERT_EQ(context.image.width(), by_libvips.width());
    ASSERT_EQ(context.image.height(), by_libvips.height());
    EXPECT_EQ(test::largest_difference(context.image, by_libvips), 0.0);
  }
}

// photo.jpg's pixels saved again as a JPEG, embedding `profile` (ICC bytes) unless empty.
std::string tagged_jpeg(const std::string& profile) {
  vips::VImage image = vips::VImage::new_from_buffer(fixture("photo.jpg"), "").copy();
  if (!profile.empty()) {
    vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, profile.data(), profile.size());
  }
  return test::to_jpeg(image);
}

std::string profile_of(const vips::VImage& image) {
  std::size_t size = 0;
  const void* data = image.get_blob(VIPS_META_ICC_NAME, &size);
  return {static_cast<const char*>(data), size};
}

// Plans a `width` × `height` fill of the image in `bytes` and runs the decode step.
Context decode_step(const std::string& bytes, int width = 61, int height = 43) {
  const core::Result<SourceInfo> source = read_source_info(bytes, core::Limits{});
  EXPECT_TRUE(source.ok());
  core::Result<Context> context =
      plan_resize(bytes, test::make_spec(width, height, core::Fit::fill), core::Limits{}, *source);
  EXPECT_TRUE(context.ok());
  EXPECT_TRUE(decode(*context).ok());
  return std::move(context).value();
}

// An embedded sRGB profile is not converted through (srgb_profile.h): the pixels are what the
// conversion would give, to within rounding, and the same as with no profile at all.
TEST(Decode, SrgbProfileIsNotConvertedThrough) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  VipsBlob* blob = nullptr;
  ASSERT_EQ(vips_profile_load("srgb", &blob, nullptr), 0);
  std::size_t size = 0;
  const auto* data = static_cast<const char*>(vips_blob_get(blob, &size));
  const std::string jpeg = tagged_jpeg(std::string(data, size));
  vips_area_unref(VIPS_AREA(blob));
  const core::Result<SourceInfo> source = read_source_info(jpeg, core::Limits{});
  ASSERT_TRUE(source.ok());
  EXPECT_TRUE(source->has_icc_profile);
  EXPECT_TRUE(source->srgb_profile);

  const Context decoded = decode_step(jpeg);
  // The libvips path with the conversion, from the same shrink-on-load.
  const vips::VImage converted =
      vips::VImage::new_from_buffer(
          jpeg, "",
          vips::VImage::option()->set("shrink",
                                      jpeg_shrink_on_load(decoded.source, decoded.geometry)))
          .thumbnail_image(61, vips::VImage::option()
                                   ->set("height", 43)
                                   ->set("size", VIPS_SIZE_FORCE)
                                   ->set("export_profile", "srgb"));
  EXPECT_LE(test::largest_difference(decoded.image, converted), 2.0);
}

TEST(Decode, OtherProfilesAreStillConvertedThrough) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const std::string p3 = profile_of(vips::VImage::new_from_buffer(fixture("display_p3.png"), ""));
  const std::string jpeg = tagged_jpeg(p3);
  const core::Result<SourceInfo> source = read_source_info(jpeg, core::Limits{});
  ASSERT_TRUE(source.ok());
  EXPECT_FALSE(source->srgb_profile);
  // The same stored values read as Display P3 are more saturated in sRGB than read as sRGB.
  const Context as_p3 = decode_step(jpeg);
  const Context as_srgb = decode_step(tagged_jpeg(""));
  EXPECT_GT(test::largest_difference(as_p3.image, as_srgb.image), 8.0);
}

// PNGs take the direct decoder (png_direct.h) too. Without alpha the pixels are the libvips
// path's exactly; with alpha they are premultiplied in 8 bits instead of float, which moves a
// colour by a level or two where alpha is high, and further only where the pixel is nearly
// transparent, so that over any background the picture is the same; alpha itself is reduced
// in integers instead of float (a level or two).
TEST(Decode, DirectPngPathGivesTheLibvipsPathsPicture) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage noise = vips::VImage::gaussnoise(
      300, 200, vips::VImage::option()->set("sigma", 50.0)->set("seed", 4));
  const vips::VImage alpha = vips::VImage::xyz(300, 200)[0] * (255.0 / 300);
  const vips::VImage rgb =
      vips::VImage::bandjoin({noise + 128, noise + 60, noise + 200}).cast(VIPS_FORMAT_UCHAR);
  for (bool with_alpha : {false, true}) {
    SCOPED_TRACE(with_alpha ? "RGBA" : "RGB");
    const vips::VImage image = with_alpha ? rgb.bandjoin(alpha.cast(VIPS_FORMAT_UCHAR)) : rgb;
    const std::string png = test::to_png(image);
    const Context context = decode_step(png);
    const vips::VImage by_libvips =
        vips::VImage::thumbnail_buffer(
            VipsBlobPtr(vips_blob_copy(png.data(), png.size())).get(), 61,
            vips::VImage::option()->set("height", 43)->set("size", VIPS_SIZE_FORCE))
            .copy_memory();  // read more than once below; the loader reads once, in order
    ASSERT_EQ(context.image.bands(), by_libvips.bands());
    if (!with_alpha) {
      EXPECT_EQ(test::largest_difference(context.image, by_libvips), 0.0);
      continue;
    }
    EXPECT_LE(test::largest_difference(context.image[3], by_libvips[3]), 2.0);
    const auto over_white = [](const vips::VImage& rgba) {
      return rgba.flatten(vips::VImage::option()->set("background", std::vector<double>{255}));
    };
    EXPECT_LE(test::largest_difference(over_white(context.image), over_white(by_libvips)), 2.0);
  }
}

// Still WebPs take the direct path (webp_direct.h): libwebp's scaled decode as webpload does it
// for thumbnail, then the same resize, premultiplied in float with alpha; no pixel may differ
// from thumbnail's, opaque or not, turned by EXIF orientation or not.
TEST(Decode, DirectWebpPathGivesTheLibvipsPathsPixels) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage photo = vips::VImage::new_from_buffer(fixture("photo.jpg"), "");
  const vips::VImage alpha =
      (vips::VImage::xyz(300, 200)[0] * (255.0 / 300)).cast(VIPS_FORMAT_UCHAR);
  const vips::VImage turned = vips::VImage::new_from_buffer(fixture("orientation_6.jpg"), "");
  const vips::VImage with_alpha = photo.bandjoin(alpha);
  // For 61×43 libwebp scales 300×200 to 65×43, and then only the width changes; 400×100 is not
  // scaled on load (never up), and then both change, premultiplied.
  for (const auto& [orientation, webp, size] :
       {std::tuple{1, test::to_webp(photo), std::pair{61, 43}},
        std::tuple{1, test::to_webp(with_alpha), std::pair{61, 43}},
        std::tuple{1, test::to_webp(with_alpha), std::pair{400, 100}},
        std::tuple{6, test::to_webp(turned), std::pair{61, 43}}}) {
    SCOPED_TRACE(std::to_string(webp.size()) + " bytes to " + std::to_string(size.first) + "x" +
                 std::to_string(size.second));
    const Context context = decode_step(webp, size.first, size.second);
    EXPECT_EQ(context.source.orientation, orientation);
    EXPECT_EQ(context.source.format, core::ImageFormat::webp);
    // Made from memory, not by a loader: the direct path took it.
    EXPECT_EQ(context.image.get_typeof("vips-loader"), 0);
    const vips::VImage by_libvips =
        vips::VImage::thumbnail_buffer(
            VipsBlobPtr(vips_blob_copy(webp.data(), webp.size())).get(), size.first,
            vips::VImage::option()->set("height", size.second)->set("size", VIPS_SIZE_FORCE))
            .copy_memory();
    EXPECT_NE(by_libvips.get_typeof("vips-loader"), 0);
    ASSERT_EQ(context.image.width(), size.first);
    ASSERT_EQ(context.image.height(), size.second);
    ASSERT_EQ(context.image.bands(), by_libvips.bands());
    EXPECT_EQ(test::largest_difference(context.image, by_libvips), 0.0);
  }
}

TEST(Decode, RotatesByExifOrientation) {
  const Context context = decoded("orientation_6.jpg", test::make_spec(150, std::nullopt));
  EXPECT_EQ(context.image.width(), 150);
  EXPECT_EQ(context.image.height(), 100);
  const std::string png = save_to_buffer(context.image, core::ImageFormat::png, 80);
  EXPECT_TRUE(testing::images_similar(png, fixture("reference.png")));
}

TEST(Decode, KeepsEveryFrameWhenTheOutputAnimates) {
  const Context context =
      decoded("animated.gif", test::make_spec(60, 40, core::Fit::fill, core::OutputFormat::webp));
  EXPECT_TRUE(context.keep_animation);
  EXPECT_EQ(frame_count(context.image), 4);
  EXPECT_EQ(frame_height(context.image), 40);
  EXPECT_EQ(context.image.width(), 60);
}

TEST(Decode, TakesTheFirstFrameOtherwise) {
  const Context context =
      decoded("animated.gif", test::make_spec(60, 40, core::Fit::fill, core::OutputFormat::png));
  EXPECT_FALSE(context.keep_animation);
  EXPECT_EQ(context.image.height(), 40);
  EXPECT_EQ(frame_count(context.image), 1);
}

TEST(Decode, TruncatedDataFailsInsteadOfTurningGrey) {
  for (const char* file : {"truncated.jpg", "truncated.png"}) {
    Context context = decoded(file, test::make_spec(50, 50));
    try {
      save_to_buffer(context.image, core::ImageFormat::png, 80);
      ADD_FAILURE() << file << " decoded although it is truncated";
    } catch (const vips::VError& error) {
      SUCCEED() << error.what();
    }
    vips_error_clear();
  }
}

}  // namespace
}  // namespace image_resize::imaging
