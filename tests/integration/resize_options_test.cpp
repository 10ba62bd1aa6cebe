// Every resize option end to end: the result is downloaded and decoded with libvips, so the
// size, format, padding and rotation asserted are the real ones, not what the status claims.
#include <algorithm>
#include <ostream>

#include "integration/api_helpers.h"
#include "support/image_similarity.h"

namespace image_resize::integration {
namespace {

class ResizeOptions : public SharedServerTest {};

// photo.jpg is 300x200.
struct GeometryCase {
  std::string name;
  Fields fields;
  int width_min, width_max, height_min, height_max;
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const GeometryCase& c, std::ostream* out) { *out << c.name; }

class Geometry : public SharedServerTest, public ::testing::WithParamInterface<GeometryCase> {};

TEST_P(Geometry, GivesTheExpectedSize) {
  const GeometryCase& c = GetParam();
  const std::string bytes = resize(client(), fixture("photo.jpg"), c.fields);
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_GE(info->width, c.width_min);
  EXPECT_LE(info->width, c.width_max);
  EXPECT_GE(info->height, c.height_min);
  EXPECT_LE(info->height, c.height_max);
}

INSTANTIATE_TEST_SUITE_P(
    ResizeOptions, Geometry,
    ::testing::Values(
        // fill, as the original design: exactly WxH, the aspect ratio ignored.
        GeometryCase{"default_fit_is_fill", {{"width", "50"}, {"height", "120"}}, 50, 50, 120, 120},
        GeometryCase{
            "fill", {{"width", "100"}, {"height", "100"}, {"fit", "fill"}}, 100, 100, 100, 100},
        GeometryCase{
            "inside", {{"width", "100"}, {"height", "100"}, {"fit", "inside"}}, 100, 100, 66, 67},
        GeometryCase{
            "cover", {{"width", "100"}, {"height", "100"}, {"fit", "cover"}}, 100, 100, 100, 100},
        GeometryCase{"contain",
                     {{"width", "100"}, {"height", "100"}, {"fit", "contain"}},
                     100,
                     100,
                     100,
                     100},
        GeometryCase{"only_width_keeps_aspect", {{"width", "150"}}, 150, 150, 100, 100},
        GeometryCase{"only_height_keeps_aspect", {{"height", "50"}}, 75, 75, 50, 50},
        GeometryCase{"upscale", {{"width", "600"}, {"height", "400"}}, 600, 600, 400, 400}),
    [](const auto& test) { return test.param.name; });

TEST_F(ResizeOptions, CoverCropsTheCentre) {
  const std::string photo = fixture("photo.jpg");
  const std::string covered = resize(
      client(), photo, {{"width", "100"}, {"height", "100"}, {"fit", "cover"}, {"format", "png"}});
  const std::string squeezed = resize(
      client(), photo, {{"width", "100"}, {"height", "100"}, {"fit", "fill"}, {"format", "png"}});
  // reference.png is the photo at 150x100; its centre square is what cover keeps.
  const std::string centre = extract_area_png(fixture("reference.png"), 25, 0, 100, 100);
  const int to_centre = testing::image_distance(covered, centre);
  const int to_squeezed = testing::image_distance(covered, squeezed);
  ASSERT_GE(to_centre, 0);
  ASSERT_GE(to_squeezed, 0);
  EXPECT_LE(to_centre, 10);
  EXPECT_LT(to_centre, to_squeezed) << "cover looks more like fill than like a centre crop";
}

TEST_F(ResizeOptions, ContainPadsWithTheBackgroundColour) {
  const std::string bytes = resize(client(), fixture("photo.jpg"),
                                   {{"width", "100"},
                                    {"height", "100"},
                                    {"fit", "contain"},
                                    {"background", "#ff0000"},
                                    {"format", "png"}});
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->width, 100);
  ASSERT_EQ(info->height, 100);
  // The 100x67 picture is centred: rows 0..15 and 84..99 are padding.
  for (auto [x, y] : {std::pair{0, 0}, {99, 0}, {50, 2}, {0, 99}, {99, 99}}) {
    const auto pixel = pixel_at(bytes, x, y);
    ASSERT_GE(pixel.size(), 3U);
    EXPECT_EQ(pixel[0], 255) << "at " << x << "," << y;
    EXPECT_EQ(pixel[1], 0) << "at " << x << "," << y;
    EXPECT_EQ(pixel[2], 0) << "at " << x << "," << y;
    if (pixel.size() == 4) {
      EXPECT_EQ(pixel[3], 255) << "at " << x << "," << y;
    }
  }
  const auto centre = pixel_at(bytes, 50, 50);
  ASSERT_GE(centre.size(), 3U);
  EXPECT_FALSE(centre[0] == 255 && centre[1] == 0 && centre[2] == 0) << "the picture is missing";
}

TEST_F(ResizeOptions, ContainTakesABackgroundWithAlpha) {
  const std::string bytes = resize(client(), fixture("photo.jpg"),
                                   {{"width", "100"},
                                    {"height", "100"},
                                    {"fit", "contain"},
                                    {"background", "#00FF0080"},
                                    {"format", "png"}});
  const auto pixel = pixel_at(bytes, 0, 0);
  ASSERT_EQ(pixel.size(), 4U) << "no alpha band";
  EXPECT_EQ(pixel[0], 0);
  EXPECT_EQ(pixel[1], 255);
  EXPECT_EQ(pixel[2], 0);
  EXPECT_EQ(pixel[3], 128);
}

TEST_F(ResizeOptions, ContainDefaultsToWhiteWithoutAlpha) {
  const std::string bytes =
      resize(client(), fixture("photo.jpg"),
             {{"width", "100"}, {"height", "100"}, {"fit", "contain"}, {"format", "jpeg"}});
  const auto pixel = pixel_at(bytes, 50, 1);
  ASSERT_GE(pixel.size(), 3U);
  for (double value : pixel) EXPECT_GE(value, 245) << "padding is not white";
}

TEST_F(ResizeOptions, ContainDefaultsToTransparentWithAlpha) {
  const std::string bytes =
      resize(client(), fixture("photo.jpg"),
             {{"width", "100"}, {"height", "100"}, {"fit", "contain"}, {"format", "png"}});
  const auto pixel = pixel_at(bytes, 50, 1);
  ASSERT_EQ(pixel.size(), 4U) << "no alpha band";
  EXPECT_EQ(pixel[3], 0) << "padding is not transparent";
}

struct FormatCase {
  std::string format;
  std::string content_type;
};

// Test names in CTest show the case name, not the struct's bytes.
void PrintTo(const FormatCase& c, std::ostream* out) { *out << c.format; }

class OutputFormats : public SharedServerTest, public ::testing::WithParamInterface<FormatCase> {};

TEST_P(OutputFormats, AreWrittenAndServedWithTheirContentType) {
  const FormatCase& c = GetParam();
  const FinishedTask task = run_task(client(), fixture("photo.jpg"),
                                     {{"width", "90"}, {"height", "60"}, {"format", c.format}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["result"].value("format", ""), c.format);
  EXPECT_EQ(task.status["request"].value("format", ""), c.format);
  const HttpResponse result = client().get(std::string(kResultPath) + task.id);
  ASSERT_EQ(result.status, 200) << result;
  EXPECT_EQ(result.header("Content-Type").value_or(""), c.content_type);
  EXPECT_EQ(sniff_format(result.body), c.format);
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 90);
  EXPECT_EQ(info->height, 60);
  EXPECT_EQ(task.status["result"].value("width", 0), 90);
  EXPECT_EQ(task.status["result"].value("height", 0), 60);
  EXPECT_EQ(task.status["result"].value("bytes", std::size_t{0}), result.body.size());
}

INSTANTIATE_TEST_SUITE_P(
    ResizeOptions, OutputFormats,
    ::testing::Values(FormatCase{"jpeg", "image/jpeg"}, FormatCase{"png", "image/png"},
                      FormatCase{"webp", "image/webp"}, FormatCase{"avif", "image/avif"},
                      FormatCase{"gif", "image/gif"}, FormatCase{"tiff", "image/tiff"}),
    [](const auto& test) { return test.param.format; });

TEST_F(ResizeOptions, LowerQualityGivesASmallerJpeg) {
  const std::string photo = fixture("photo.jpg");
  const Fields base{{"width", "300"}, {"height", "200"}, {"format", "jpeg"}};
  Fields low = base;
  low.emplace_back("quality", "10");
  Fields high = base;
  high.emplace_back("quality", "95");
  const std::string small = resize(client(), photo, low);
  const std::string large = resize(client(), photo, high);
  ASSERT_FALSE(small.empty());
  ASSERT_FALSE(large.empty());
  EXPECT_LT(small.size() * 2, large.size()) << small.size() << " vs " << large.size();
}

TEST_F(ResizeOptions, ExifOrientationIsAppliedAndStripped) {
  // Stored 200x300 with orientation 6: displayed as the 300x200 photo.
  const std::string bytes =
      resize(client(), fixture("orientation_6.jpg"), {{"width", "150"}, {"format", "jpeg"}});
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 150);
  EXPECT_EQ(info->height, 100);
  EXPECT_TRUE(testing::images_similar(bytes, fixture("reference.png")));
  for (const std::string& field : info->fields) {
    EXPECT_NE(field, "exif-data");
    EXPECT_NE(field, "xmp-data");
    EXPECT_NE(field, "iptc-data");
    EXPECT_EQ(field.rfind("exif-ifd", 0), std::string::npos) << field;
  }
}

TEST_F(ResizeOptions, DefaultsOfTheNewOptionsAreEchoed) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "60"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  const nlohmann::json& request = task.status["request"];
  EXPECT_EQ(request.value("gravity", ""), "centre");
  EXPECT_EQ(request.value("dpr", 0), 1);
  EXPECT_EQ(request.value("progressive", true), false);
  EXPECT_EQ(request.value("lossless", true), false);
}

struct GravityCase {
  std::string gravity;
  int left;  // of the 100x100 window in reference.png (the photo at 150x100)
};

void PrintTo(const GravityCase& c, std::ostream* out) { *out << c.gravity; }

class CoverGravity : public SharedServerTest, public ::testing::WithParamInterface<GravityCase> {};

TEST_P(CoverGravity, KeepsTheSideItNames) {
  const GravityCase& c = GetParam();
  const FinishedTask task = run_task(client(), fixture("photo.jpg"),
                                     {{"width", "100"},
                                      {"height", "100"},
                                      {"fit", "cover"},
                                      {"format", "png"},
                                      {"gravity", c.gravity}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["request"].value("gravity", ""),
            c.gravity == "center" ? "centre" : c.gravity);
  const HttpResponse result = client().get(std::string(kResultPath) + task.id);
  ASSERT_EQ(result.status, 200) << result;
  const std::string reference = fixture("reference.png");
  const std::string expected = extract_area_png(reference, c.left, 0, 100, 100);
  const std::string other_side = extract_area_png(reference, 50 - c.left, 0, 100, 100);
  const int to_expected = testing::image_distance(result.body, expected);
  ASSERT_GE(to_expected, 0);
  EXPECT_LE(to_expected, 10);
  if (c.left != 25) {
    EXPECT_LT(to_expected, testing::image_distance(result.body, other_side));
  }
}

INSTANTIATE_TEST_SUITE_P(ResizeOptions, CoverGravity,
                         ::testing::Values(GravityCase{"west", 0}, GravityCase{"east", 50},
                                           GravityCase{"northwest", 0},
                                           GravityCase{"southeast", 50}, GravityCase{"center", 25}),
                         [](const auto& test) { return test.param.gravity; });

TEST_F(ResizeOptions, AttentionAndEntropyCropToTheBox) {
  for (const std::string gravity : {"attention", "entropy"}) {
    const FinishedTask task =
        run_task(client(), fixture("photo.jpg"),
                 {{"width", "80"}, {"height", "120"}, {"fit", "cover"}, {"gravity", gravity}});
    ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
    EXPECT_EQ(task.status["request"].value("gravity", ""), gravity);
    EXPECT_EQ(task.status["result"].value("width", 0), 80);
    EXPECT_EQ(task.status["result"].value("height", 0), 120);
  }
}

TEST_F(ResizeOptions, DprMultipliesTheSize) {
  const FinishedTask task =
      run_task(client(), fixture("photo.jpg"), {{"width", "100"}, {"dpr", "2"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["request"].value("width", 0), 100);
  EXPECT_EQ(task.status["request"].value("dpr", 0), 2);
  const HttpResponse result = client().get(std::string(kResultPath) + task.id);
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 200);
  EXPECT_EQ(info->height, 133);
}

bool has_field(const ImageInfo& info, const std::string& name) {
  return std::find(info.fields.begin(), info.fields.end(), name) != info.fields.end();
}

TEST_F(ResizeOptions, ProgressiveJpegAndInterlacedPng) {
  for (const std::string format : {"jpeg", "png"}) {
    const FinishedTask task =
        run_task(client(), fixture("photo.jpg"),
                 {{"width", "120"}, {"format", format}, {"progressive", "true"}});
    ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
    EXPECT_EQ(task.status["request"].value("progressive", false), true);
    const auto progressive = inspect_image(client().get(std::string(kResultPath) + task.id).body);
    ASSERT_TRUE(progressive.has_value());
    EXPECT_TRUE(has_field(*progressive, "interlaced")) << format;
    const auto baseline = inspect_image(
        resize(client(), fixture("photo.jpg"), {{"width", "120"}, {"format", format}}));
    ASSERT_TRUE(baseline.has_value());
    EXPECT_FALSE(has_field(*baseline, "interlaced")) << format;
  }
}

TEST_F(ResizeOptions, LosslessWebpKeepsThePixelsOfThePngOutput) {
  const Fields base{{"width", "120"}, {"format", "webp"}};
  Fields lossless_fields = base;
  lossless_fields.emplace_back("lossless", "true");
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), lossless_fields);
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["request"].value("lossless", false), true);
  const std::string lossless = client().get(std::string(kResultPath) + task.id).body;
  const std::string lossy = resize(client(), fixture("photo.jpg"), base);
  const std::string png =
      resize(client(), fixture("photo.jpg"), {{"width", "120"}, {"format", "png"}});
  // A lossless WebP holds a VP8L chunk (after a VP8X one), a lossy one a "VP8 " chunk.
  EXPECT_NE(lossless.substr(0, 64).find("VP8L"), std::string::npos);
  EXPECT_EQ(lossy.substr(0, 64).find("VP8L"), std::string::npos);
  for (auto [x, y] : {std::pair{0, 0}, {60, 40}, {119, 79}, {33, 17}}) {
    EXPECT_EQ(pixel_at(lossless, x, y), pixel_at(png, x, y)) << "at " << x << "," << y;
  }
}

}  // namespace
}  // namespace image_resize::integration
