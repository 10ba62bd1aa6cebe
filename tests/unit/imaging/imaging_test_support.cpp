#include "imaging_test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/limits.h"
#include "imaging/vips_runtime.h"
#include "support/fixtures.h"

namespace image_resize::imaging::test {

void WithVips::SetUp() { ASSERT_TRUE(VipsRuntime::ensure_started().ok()); }

const std::string& fixture(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::string> cache;
  const std::lock_guard lock(mutex);
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache.emplace(name, testing::read_file(testing::fixture_image(name))).first;
  }
  return it->second;
}

core::ResizeSpec make_spec(std::optional<int> width, std::optional<int> height, core::Fit fit,
                           core::OutputFormat format) {
  core::ResizeSpec spec;
  spec.width = width;
  spec.height = height;
  spec.fit = fit;
  spec.format = format;
  return spec;
}

Decoded decode_output(std::string_view bytes) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  Decoded decoded;
  try {
    const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
    if (loader == nullptr) throw vips::VError("no loader");
    const char* nickname = vips_nickname_find(g_type_from_name(loader));
    decoded.loader = nickname != nullptr ? nickname : loader;
    const bool animated_loader =
        decoded.loader == "gifload_buffer" || decoded.loader == "webpload_buffer";
    const vips::VImage image = vips::VImage::new_from_buffer(
        bytes.data(), bytes.size(), "",
        animated_loader ? vips::VImage::option()->set("n", -1) : nullptr);
    decoded.width = image.width();
    decoded.height = vips_image_get_page_height(image.get_image());
    decoded.frames = image.height() / decoded.height;
    decoded.bands = image.bands();
    decoded.interpretation = image.interpretation();
    decoded.band_format = image.format();
    decoded.has_alpha = image.has_alpha();
    gchar** fields = vips_image_get_fields(image.get_image());
    for (gchar** field = fields; *field != nullptr; ++field) {
      const std::string name = *field;
      // tiffload reports orientation 1 for every TIFF; only a turn would be metadata.
      const bool turned = name == "orientation" && image.get_int("orientation") != 1;
      if (name.starts_with("exif-") || name == "xmp-data" || name == "iptc-data" ||
          name == "icc-profile-data" || turned) {
        decoded.metadata.push_back(name);
      }
    }
    g_strfreev(fields);
  } catch (const vips::VError& error) {
    ADD_FAILURE() << "cannot decode the output: " << error.what();
    vips_error_clear();
    return {};
  }
  return decoded;
}

std::vector<double> pixel_at(std::string_view bytes, int x, int y) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  try {
    return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").getpoint(x, y);
  } catch (const vips::VError& error) {
    ADD_FAILURE() << "cannot read a pixel: " << error.what();
    vips_error_clear();
    return {};
  }
}

vips::VImage coordinate_image(int width, int height, int tag) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage xy = vips::VImage::xyz(width, height);
  const vips::VImage tagged = xy.bandjoin_const({static_cast<double>(tag)});
  return tagged.cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
      .copy_memory();
}

double largest_difference(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_INT) - b.cast(VIPS_FORMAT_INT)).abs().max();
}

::testing::AssertionResult same_image(const vips::VImage& actual, const vips::VImage& expected) {
  if (actual.width() != expected.width() || actual.height() != expected.height() ||
      actual.bands() != expected.bands()) {
    return ::testing::AssertionFailure()
           << actual.width() << "x" << actual.height() << "x" << actual.bands() << " against "
           << expected.width() << "x" << expected.height() << "x" << expected.bands();
  }
  if (actual.interpretation() != expected.interpretation()) {
    return ::testing::AssertionFailure() << "interpretation " << actual.interpretation()
                                         << " against " << expected.interpretation();
  }
  const double difference = largest_difference(actual, expected);
  if (difference != 0.0) {
    return ::testing::AssertionFailure() << "pixels differ by up to " << difference;
  }
  return ::testing::AssertionSuccess();
}

namespace {

std::string encoded(const vips::VImage& image, const char* suffix, vips::VOption* options) {
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size, options);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

}  // namespace

std::string to_png(const vips::VImage& image) {
  return encoded(image, ".png", vips::VImage::option()->set("strip", true));
}

std::string to_jpeg(const vips::VImage& image) {
  return encoded(image, ".jpg", vips::VImage::option()->set("Q", 95));
}

std::string to_webp(const vips::VImage& image, bool lossless) {
  return encoded(image, ".webp", vips::VImage::option()->set("Q", 80)->set("lossless", lossless));
}

vips::VImage animation(const std::vector<vips::VImage>& frames) {
  vips::VImage joined =
      vips::VImage::arrayjoin(frames, vips::VImage::option()->set("across", 1)).copy_memory();
  joined.set(VIPS_META_PAGE_HEIGHT, frames.front().height());
  return joined;
}

ResizedImage ProcessorTest::resize(const std::string& input, const core::ResizeSpec& spec) {
  core::Result<ResizedImage> resized = processor_.resize(input, spec, core::Limits{});
  EXPECT_TRUE(resized.ok()) << resized.error().log_message();
  return resized.ok() ? std::move(resized).value() : ResizedImage{};
}

}  // namespace image_resize::imaging::test
