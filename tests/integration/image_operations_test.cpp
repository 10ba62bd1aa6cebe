// The image operations of docs/API.md "Cropping, formats and placeholders", end to end with the
// default flags: crop before the resize, format=auto from the upload's Accept header, JPEG XL,
// strip=false, the placeholder in the status, and GET /api/v1/formats. Results are downloaded and
// decoded with libvips, so what is asserted is what a client gets.
#include <algorithm>
#include <regex>

#include "integration/api_helpers.h"
#include "support/image_similarity.h"

namespace image_resize::integration {
namespace {

class ImageOperations : public SharedServerTest {
 protected:
  // Uploads `image` with `fields` and the request header Accept: `accept`; the finished task.
  FinishedTask run_with_accept(std::string_view image, const Fields& fields,
                               const std::string& accept) {
    const MultipartBody form = resize_form(image, fields);
    const HttpResponse accepted =
        client().request("POST", kResizePath,
                         {{"Content-Type", form.content_type()}, {"Accept", accept}}, form.body());
    EXPECT_EQ(accepted.status, 202) << accepted;
    FinishedTask task{task_id_of(accepted), {}};
    if (!task.id.empty()) task.status = wait_for_task(client(), task.id);
    return task;
  }

  std::string result_of(const FinishedTask& task) {
    EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
    const HttpResponse result = client().get(std::string(kResultPath) + task.id);
    EXPECT_EQ(result.status, 200) << result;
    return result.body;
  }
};

bool has_field(const ImageInfo& info, const std::string& name) {
  return std::find(info.fields.begin(), info.fields.end(), name) != info.fields.end();
}

// photo.jpg is 300x200 and reference.png the same picture at 150x100.
TEST_F(ImageOperations, CropCutsTheSourceBeforeTheResize) {
  const FinishedTask task =
      run_task(client(), fixture("photo.jpg"),
               {{"width", "75"}, {"crop", "150,0,150,100"}, {"format", "png"}});
  const std::string bytes = result_of(task);
  EXPECT_EQ(task.status["request"].value("crop", ""), "150,0,150,100");
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 75);
  EXPECT_EQ(info->height, 50);
  const std::string reference = fixture("reference.png");
  const int to_quarter = testing::image_distance(bytes, extract_area_png(reference, 75, 0, 75, 50));
  ASSERT_GE(to_quarter, 0);
  EXPECT_LE(to_quarter, 10);
  EXPECT_LT(to_quarter, testing::image_distance(bytes, extract_area_png(reference, 0, 50, 75, 50)));
}

TEST_F(ImageOperations, CropIsInUprightPixelsAndCoverCropsItFurther) {
  // Stored 200x300 with EXIF orientation 6: upright it is the 300x200 photo.
  const FinishedTask task =
      run_task(client(), fixture("orientation_6.jpg"),
               {{"width", "40"}, {"height", "40"}, {"fit", "cover"}, {"crop", "0,0,300,100"}});
  const auto info = inspect_image(result_of(task));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 40);
  EXPECT_EQ(info->height, 40);
}

TEST_F(ImageOperations, ACropOutsideTheUploadIs422InvalidCropAndNothingIsStored) {
  for (const auto& [image, crop] : std::vector<std::pair<std::string, std::string>>{
           {"photo.jpg", "200,0,101,100"},
           {"photo.jpg", "0,199,10,2"},
           {"orientation_6.jpg", "0,0,200,300"}}) {  // fits the stored size, not the upright one
    SCOPED_TRACE(image + " crop=" + crop);
    const HttpResponse response =
        submit(client(), fixture(image), {{"width", "10"}, {"crop", crop}});
    EXPECT_TRUE(is_json_error(response, 422, "invalid_crop")) << response;
  }
  const HttpResponse edge =
      submit(client(), fixture("photo.jpg"), {{"width", "10"}, {"crop", "299,199,1,1"}});
  EXPECT_EQ(edge.status, 202) << edge;
}

TEST_F(ImageOperations, AutoPicksAvifThenWebpThenTheInputsFormat) {
  struct Case {
    std::string image;
    std::string accept;
    std::string chosen;
  };
  for (const Case& c : std::vector<Case>{
           {"photo.jpg", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "avif"},
           {"photo.jpg", "image/webp,*/*", "webp"},
           {"photo.jpg", "image/avif;q=0, image/webp", "webp"},
           {"photo.jpg", "*/*", "jpeg"},
           {"alpha.png", "image/*", "png"},
           {"photo.webp", "", "jpeg"},
       }) {
    SCOPED_TRACE(c.image + " Accept: " + c.accept);
    const FinishedTask task =
        run_with_accept(fixture(c.image), {{"width", "40"}, {"format", "auto"}}, c.accept);
    const std::string bytes = result_of(task);
    EXPECT_EQ(task.status["request"].value("format", ""), "auto");
    EXPECT_EQ(task.status["result"].value("format", ""), c.chosen) << task.status.dump();
    EXPECT_EQ(sniff_format(bytes), c.chosen);
  }
}

TEST_F(ImageOperations, AutoRecordsTheAcceptedFormats) {
  const FinishedTask task = run_with_accept(
      fixture("photo.jpg"), {{"width", "40"}, {"format", "auto"}}, "image/avif,image/webp,*/*");
  EXPECT_EQ(task.status["request"]["accepts"], nlohmann::json::array({"avif", "webp"}));
  // Without format=auto the header changes nothing.
  const FinishedTask plain =
      run_with_accept(fixture("photo.jpg"), {{"width", "40"}}, "image/avif,image/webp");
  EXPECT_EQ(plain.status["result"].value("format", ""), "jpeg");
  EXPECT_FALSE(plain.status["request"].contains("accepts"));
}

TEST_F(ImageOperations, JpegXlIsWrittenAndServedAsImageJxl) {
  const FinishedTask task =
      run_task(client(), fixture("alpha.png"), {{"width", "60"}, {"format", "jxl"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  EXPECT_EQ(task.status["result"].value("format", ""), "jxl");
  const HttpResponse result = client().get(std::string(kResultPath) + task.id);
  ASSERT_EQ(result.status, 200) << result;
  EXPECT_EQ(result.header("Content-Type").value_or(""), "image/jxl");
  EXPECT_EQ(sniff_format(result.body), "jxl");
  const auto info = inspect_image(result.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 60);
  EXPECT_EQ(info->height, 40);
  EXPECT_TRUE(info->has_alpha);
}

TEST_F(ImageOperations, AJpegXlUploadIsRefusedAsItsLoaderIsUntrusted) {
  const std::string jxl =
      resize(client(), fixture("photo.jpg"), {{"width", "30"}, {"format", "jxl"}});
  ASSERT_EQ(sniff_format(jxl), "jxl");
  EXPECT_TRUE(is_json_error(submit(client(), jxl, {{"width", "10"}}), 422, "unsupported_image"));
}

TEST_F(ImageOperations, StripFalseKeepsExifAndTheProfile) {
  const std::string kept =
      resize(client(), fixture("orientation_6.jpg"), {{"width", "150"}, {"strip", "false"}});
  const auto info = inspect_image(kept);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(has_field(*info, "exif-data"));
  // Rotated upright, and the EXIF says so: no viewer turns it a second time.
  EXPECT_EQ(info->width, 150);
  EXPECT_EQ(info->height, 100);
  EXPECT_EQ(exif_orientation(kept), 1);

  const std::string profiled =
      resize(client(), fixture("display_p3.png"), {{"width", "16"}, {"strip", "false"}});
  const auto with_profile = inspect_image(profiled);
  ASSERT_TRUE(with_profile.has_value());
  EXPECT_TRUE(has_field(*with_profile, "icc-profile-data"));
  const auto stripped =
      inspect_image(resize(client(), fixture("display_p3.png"), {{"width", "16"}}));
  ASSERT_TRUE(stripped.has_value());
  EXPECT_FALSE(has_field(*stripped, "icc-profile-data"));
}

TEST_F(ImageOperations, TheStatusGivesAPlaceholderOfTheResult) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "120"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  const nlohmann::json& placeholder = task.status["result"]["placeholder"];
  // BlurHash with 4x3 components: 28 characters of its base 83 alphabet.
  EXPECT_TRUE(std::regex_match(placeholder.value("blurhash", ""),
                               std::regex(R"([0-9A-Za-z#$%*+,\-.:;=?@\[\]^_{|}~]{28})")))
      << placeholder.dump();
  EXPECT_TRUE(std::regex_match(placeholder.value("dominant_color", ""), std::regex("#[0-9a-f]{6}")))
      << placeholder.dump();
  // The same result gives the same placeholder.
  const FinishedTask again = run_task(client(), fixture("photo.jpg"), {{"width", "120"}});
  EXPECT_EQ(again.status["result"]["placeholder"], placeholder);
}

TEST_F(ImageOperations, TheFormatsRouteListsWhatThisBuildReadsAndWrites) {
  const HttpResponse response = client().get("/api/v1/formats");
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_EQ(response.header("Content-Type").value_or(""), "application/json");
  const auto body = nlohmann::json::parse(response.body);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& format : body["formats"]) by_name[format.value("format", "")] = format;
  for (const char* name : {"jpeg", "png", "webp", "avif", "gif", "tiff"}) {
    ASSERT_TRUE(by_name.contains(name)) << name;
    EXPECT_TRUE(by_name[name].value("read", false)) << name;
    EXPECT_TRUE(by_name[name].value("write", false)) << name;
  }
  EXPECT_FALSE(by_name["jxl"].value("read", true));
  EXPECT_TRUE(by_name["jxl"].value("write", false));
  EXPECT_EQ(by_name["jxl"].value("mime_type", ""), "image/jxl");
  EXPECT_FALSE(by_name["jpeg"].value("alpha", true));
  EXPECT_TRUE(by_name["gif"].value("animation", false));
  EXPECT_EQ(body["auto"].front(), "avif");
}

}  // namespace
}  // namespace image_resize::integration
