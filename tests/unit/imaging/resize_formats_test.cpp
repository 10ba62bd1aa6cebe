// VipsImageProcessor::resize over every input format × every output format: the size, the
// format (format=same keeps the input's), 8-bit sRGB, no metadata, and the same picture.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "imaging/vips_image_processor.h"
#include "imaging_test_support.h"
#include "support/image_similarity.h"

namespace image_resize::imaging {
namespace {

using core::ImageFormat;
using core::OutputFormat;

struct Input {
  std::string file;
  ImageFormat format;
  bool shows_reference_photo;  // the 300x200 photo, upright once displayed
};

const std::vector<Input>& inputs() {
  static const std::vector<Input> list{
      {"photo.jpg", ImageFormat::jpeg, true},         {"progressive.jpg", ImageFormat::jpeg, true},
      {"orientation_6.jpg", ImageFormat::jpeg, true}, {"cmyk.jpg", ImageFormat::jpeg, true},
      {"alpha.png", ImageFormat::png, false},         {"rgb16.png", ImageFormat::png, true},
      {"photo.webp", ImageFormat::webp, true},        {"animated.webp", ImageFormat::webp, false},
      {"photo.gif", ImageFormat::gif, true},          {"animated.gif", ImageFormat::gif, false},
      {"photo.tif", ImageFormat::tiff, true},         {"photo.heic", ImageFormat::heic, true},
      {"photo.avif", ImageFormat::avif, true}};
  return list;
}

constexpr std::array<OutputFormat, 7> kOutputs{
    OutputFormat::same, OutputFormat::jpeg, OutputFormat::png, OutputFormat::webp,
    OutputFormat::avif, OutputFormat::gif,  OutputFormat::tiff};

struct FormatCase {
  Input input;
  OutputFormat output;
  ImageFormat expected_format() const {
    return output == OutputFormat::same ? input.format
                                        : *core::parse_image_format(core::to_string(output));
  }
};

std::string name_of(const FormatCase& c) {
  std::string name = c.input.file + "_to_" + std::string(core::to_string(c.output));
  for (char& ch : name) {
    if (ch == '.') ch = '_';
  }
  return name;
}

// GoogleTest finds the printer of a test parameter by this name.
void PrintTo(  // NOLINT(readability-identifier-naming)
    const FormatCase& c, std::ostream* out) {
  *out << name_of(c);
}

std::vector<FormatCase> all_cases() {
  std::vector<FormatCase> cases;
  for (const Input& input : inputs()) {
    for (OutputFormat output : kOutputs) cases.push_back({input, output});
  }
  return cases;
}

class ResizeFormatsTest : public ::testing::TestWithParam<FormatCase> {
 protected:
  VipsImageProcessor processor_;
};

TEST_P(ResizeFormatsTest, ResizesIntoTheFormat) {
  const FormatCase& c = GetParam();
  // inside, width 120: the aspect is kept, so the picture can be compared with the reference.
  const core::ResizeSpec spec = test::make_spec(120, 120, core::Fit::inside, c.output);
  const core::Result<ResizedImage> resized =
      processor_.resize(test::fixture(c.input.file), spec, core::Limits{});
  ASSERT_TRUE(resized.ok()) << resized.error().log_message();

  const int expected_height = 80;  // every fixture is 3:2 once upright
  EXPECT_EQ(resized->format, c.expected_format());
  EXPECT_EQ(resized->width, 120);
  EXPECT_EQ(resized->height, expected_height);

  const test::Decoded decoded = test::decode_output(resized->bytes);
  EXPECT_EQ(decoded.width, 120);
  EXPECT_EQ(decoded.height, expected_height);
  EXPECT_EQ(decoded.band_format, VIPS_FORMAT_UCHAR);
  EXPECT_TRUE(decoded.interpretation == VIPS_INTERPRETATION_sRGB ||
              // A GIF whose palette has only greys reads back as grey; none of these do.
              decoded.interpretation == VIPS_INTERPRETATION_B_W)
      << decoded.interpretation;
  EXPECT_TRUE(decoded.metadata.empty()) << decoded.metadata.front();
  if (c.input.shows_reference_photo) {
    EXPECT_TRUE(testing::images_similar(resized->bytes, test::fixture("reference.png")));
  }
}

INSTANTIATE_TEST_SUITE_P(EveryInputEveryOutput, ResizeFormatsTest, ::testing::ValuesIn(all_cases()),
                         [](const auto& test_case) { return name_of(test_case.param); });

}  // namespace
}  // namespace image_resize::imaging
