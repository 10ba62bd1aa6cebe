// The rules of the resize form (docs/API.md): each good input gives the expected ResizeSpec, each
// bad one its own ErrorCode and a message that says what to send.

#include "http/forms/resize_form.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "form_parts_for_test.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;
using core::Fit;
using core::Gravity;
using core::OutputFormat;
using core::Priority;
using core::ResizeSpec;
using core::Rgba;

Fields with_file(Fields fields) {
  fields.insert(fields.begin(), {"file", "\x89PNG-bytes"});
  return fields;
}

ResizeSpec spec(std::optional<int> width, std::optional<int> height) {
  ResizeSpec s;
  s.width = width;
  s.height = height;
  return s;
}

template <class Fn>
ResizeSpec spec_with(std::optional<int> width, std::optional<int> height, Fn change) {
  ResizeSpec s = spec(width, height);
  change(s);
  return s;
}

struct GoodCase {
  std::string name;
  Fields fields;
  ResizeSpec expected;
};
void PrintTo(const GoodCase& c, std::ostream* os) { *os << c.name; }

class ResizeFormAcceptsTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(ResizeFormAcceptsTest, GivesSpec) {
  const std::vector<FormPart> parts = to_parts(GetParam().fields);
  const auto form = parse_resize_form(parts, core::Limits{});
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_EQ(form->spec, GetParam().expected);
  EXPECT_EQ(form->file, "\x89PNG-bytes");
  EXPECT_EQ(form->filename, "in.png");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ResizeFormAcceptsTest,
    ::testing::Values(
        GoodCase{"WidthOnly", with_file({{"width", "100"}}), spec(100, std::nullopt)},
        GoodCase{"HeightOnly", with_file({{"height", "50"}}), spec(std::nullopt, 50)},
        GoodCase{"Both", with_file({{"width", "1"}, {"height", "10000"}}), spec(1, 10000)},
        GoodCase{"LeadingZerosAreDecimal", with_file({{"width", "0080"}}), spec(80, std::nullopt)},
        GoodCase{"FileNeedNotComeFirst",
                 {{"width", "7"}, {"file", "\x89PNG-bytes"}},
                 spec(7, std::nullopt)},
        GoodCase{"AllOptions",
                 with_file({{"width", "300"},
                            {"height", "200"},
                            {"fit", "contain"},
                            {"format", "webp"},
                            {"quality", "90"},
                            {"background", "#ff000080"},
                            {"priority", "high"},
                            {"gravity", "southwest"},
                            {"dpr", "2"},
                            {"progressive", "true"},
                            {"lossless", "true"}}),
                 spec_with(300, 200,
                           [](ResizeSpec& s) {
                             s.fit = Fit::contain;
                             s.format = OutputFormat::webp;
                             s.quality = 90;
                             s.background = Rgba{255, 0, 0, 128};
                             s.priority = Priority::high;
                             s.gravity = Gravity::southwest;
                             s.dpr = 2;
                             s.progressive = true;
                             s.lossless = true;
                           })},
        GoodCase{"GravityAnyCaseAndCenter",
                 with_file({{"width", "9"}, {"fit", "cover"}, {"gravity", "Center"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.fit = Fit::cover; })},
        GoodCase{"GravityAttention", with_file({{"width", "9"}, {"gravity", "ATTENTION"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.gravity = Gravity::attention; })},
        GoodCase{"GravityEntropy", with_file({{"width", "9"}, {"gravity", "entropy"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.gravity = Gravity::entropy; })},
        GoodCase{"DprTimesSizeAtTheLimit", with_file({{"width", "2500"}, {"dpr", "4"}}),
                 spec_with(2500, std::nullopt, [](ResizeSpec& s) { s.dpr = 4; })},
        GoodCase{"FlagsFalseAnyCase",
                 with_file({{"width", "9"}, {"progressive", "FALSE"}, {"lossless", "False"}}),
                 spec(9, std::nullopt)},
        GoodCase{"FlagsTrueAnyCase",
                 with_file({{"width", "9"}, {"progressive", "True"}, {"lossless", "TRUE"}}),
                 spec_with(9, std::nullopt,
                           [](ResizeSpec& s) {
                             s.progressive = true;
                             s.lossless = true;
                           })},
        GoodCase{
            "EnumValuesAnyCase",
            with_file({{"width", "9"}, {"fit", "CoVeR"}, {"format", "PNG"}, {"priority", "Low"}}),
            spec_with(9, std::nullopt,
                      [](ResizeSpec& s) {
                        s.fit = Fit::cover;
                        s.format = OutputFormat::png;
                        s.priority = Priority::low;
                      })},
        GoodCase{
            "FormatAuto", with_file({{"width", "9"}, {"format", "Auto"}}),
            spec_with(9, std::nullopt, [](ResizeSpec& s) { s.format = OutputFormat::automatic; })},
        GoodCase{"FormatJxl", with_file({{"width", "9"}, {"format", "JXL"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.format = OutputFormat::jxl; })},
        GoodCase{"StripFalse", with_file({{"width", "9"}, {"strip", "FALSE"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.strip = false; })},
        GoodCase{"StripTrueIsTheDefault", with_file({{"width", "9"}, {"strip", "true"}}),
                 spec(9, std::nullopt)},
        GoodCase{"Crop", with_file({{"width", "9"}, {"crop", "0,10,300,200"}}),
                 spec_with(9, std::nullopt,
                           [](ResizeSpec& s) {
                             s.crop = core::CropRect{0, 10, 300, 200};
                           })},
        GoodCase{"JpgMeansJpeg", with_file({{"width", "9"}, {"format", "JPG"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.format = OutputFormat::jpeg; })},
        GoodCase{"TifMeansTiff", with_file({{"width", "9"}, {"format", "tif"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.format = OutputFormat::tiff; })},
        GoodCase{"FormatSame", with_file({{"width", "9"}, {"format", "same"}}),
                 spec(9, std::nullopt)},
        GoodCase{"FitInside", with_file({{"width", "9"}, {"fit", "inside"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.fit = Fit::inside; })},
        GoodCase{"QualityLowest", with_file({{"width", "9"}, {"quality", "1"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.quality = 1; })},
        GoodCase{"QualityHighest", with_file({{"width", "9"}, {"quality", "100"}}),
                 spec_with(9, std::nullopt, [](ResizeSpec& s) { s.quality = 100; })},
        GoodCase{"BackgroundWithoutAlphaIsOpaque",
                 with_file({{"width", "9"}, {"background", "#00FF7f"}}),
                 spec_with(9, std::nullopt,
                           [](ResizeSpec& s) {
                             s.background = Rgba{0, 255, 127, 255};
                           })},
        GoodCase{"EmptyOptionalFieldsAreDefaults",
                 with_file({{"width", "9"},
                            {"fit", ""},
                            {"format", ""},
                            {"quality", ""},
                            {"background", ""},
                            {"priority", ""},
                            {"gravity", ""},
                            {"dpr", ""},
                            {"progressive", ""},
                            {"lossless", ""},
                            {"strip", ""},
                            {"crop", ""}}),
                 spec(9, std::nullopt)},
        GoodCase{"UnknownFieldsIgnoredEvenTwice",
                 with_file({{"width", "9"}, {"foo", "x"}, {"foo", "y"}, {"Width", "bad"}}),
                 spec(9, std::nullopt)}),
    [](const ::testing::TestParamInfo<GoodCase>& param_info) { return param_info.param.name; });

struct BadCase {
  std::string name;
  Fields fields;
  ErrorCode code;
  std::string message = "";  // exact public message when given
};
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ResizeFormRejectsTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ResizeFormRejectsTest, FailsWithCode) {
  const BadCase& c = GetParam();
  const std::vector<FormPart> parts = to_parts(c.fields);
  const auto form = parse_resize_form(parts, core::Limits{});
  ASSERT_FALSE(form.ok()) << "accepted";
  EXPECT_EQ(core::to_string(form.error().code), core::to_string(c.code))
      << form.error().public_message;
  EXPECT_FALSE(form.error().public_message.empty());
  if (!c.message.empty()) {
    EXPECT_EQ(form.error().public_message, c.message);
  }
}

std::vector<BadCase> bad_cases() {
  std::vector<BadCase> cases = {
      {"NoFile",
       {{"width", "10"}},
       ErrorCode::no_file,
       "send the image in a form field named 'file', or its address in 'url'"},
      {"FileAndUrl", with_file({{"width", "10"}, {"url", "http://example.com/a.jpg"}}),
       ErrorCode::conflicting_source,
       "send the image either in 'file' or as an address in 'url', not both"},
      {"UrlTooLong",
       {{"url", "http://example.com/" + std::string(4096, 'a')}, {"width", "10"}},
       ErrorCode::invalid_url,
       "url is longer than 4096 characters"},
      {"CallbackUrlTooLong",
       with_file({{"width", "10"}, {"callback_url", "http://e.com/" + std::string(4096, 'a')}}),
       ErrorCode::invalid_url, "callback_url is longer than 4096 characters"},
      {"UrlGivenTwice",
       {{"url", "http://a/"}, {"url", "http://b/"}, {"width", "10"}},
       ErrorCode::malformed_request},
      {"EmptyUrlIsAbsent", {{"url", ""}, {"width", "10"}}, ErrorCode::no_file},
      {"EmptyFile", {{"file", ""}, {"width", "10"}}, ErrorCode::no_file},
      {"NoFieldsAtAll", {}, ErrorCode::no_file},
      {"NoSize", with_file({}), ErrorCode::invalid_size,
       "give width or height (or both), each an integer from 1 to 10000"},
      {"BothSizesEmpty", with_file({{"width", ""}, {"height", ""}}), ErrorCode::invalid_size},
      {"EmptyHeightIsNotAbsent", with_file({{"width", "5"}, {"height", ""}}),
       ErrorCode::invalid_size,
       "height is empty: give an integer from 1 to 10000, or leave the "
       "field out"},
      {"HeightBadWidthGood", with_file({{"width", "10"}, {"height", "x"}}), ErrorCode::invalid_size,
       "height must be an integer from 1 to 10000"},
      {"FitUnknown", with_file({{"width", "9"}, {"fit", "stretch"}}), ErrorCode::invalid_fit,
       "fit must be one of fill, inside, cover, contain"},
      {"FitWithSpace", with_file({{"width", "9"}, {"fit", "fill "}}), ErrorCode::invalid_fit},
      {"FitPrefix", with_file({{"width", "9"}, {"fit", "fil"}}), ErrorCode::invalid_fit},
      {"FormatBmp", with_file({{"width", "9"}, {"format", "bmp"}}), ErrorCode::invalid_format,
       "format must be one of same, auto, jpeg, png, webp, avif, gif, tiff, jxl"},
      {"FormatHeicIsInputOnly", with_file({{"width", "9"}, {"format", "heic"}}),
       ErrorCode::invalid_format},
      {"FormatMimeType", with_file({{"width", "9"}, {"format", "image/png"}}),
       ErrorCode::invalid_format},
      {"PriorityUnknown", with_file({{"width", "9"}, {"priority", "urgent"}}),
       ErrorCode::invalid_priority, "priority must be one of high, normal, low"},
      {"PriorityNumber", with_file({{"width", "9"}, {"priority", "1"}}),
       ErrorCode::invalid_priority},
      {"WidthGivenTwice", with_file({{"width", "9"}, {"width", "10"}}),
       ErrorCode::malformed_request, "the form field 'width' is given more than once"},
      {"FileGivenTwice", with_file({{"width", "9"}, {"file", "more"}}),
       ErrorCode::malformed_request},
      {"EmptyFitGivenTwice", with_file({{"width", "9"}, {"fit", ""}, {"fit", "cover"}}),
       ErrorCode::malformed_request},
      {"GravityUnknown", with_file({{"width", "9"}, {"gravity", "top"}}),
       ErrorCode::invalid_gravity,
       "gravity must be one of centre, north, south, east, west, northeast, northwest, "
       "southeast, southwest, attention, entropy"},
      {"GravityWithSpace", with_file({{"width", "9"}, {"gravity", "north "}}),
       ErrorCode::invalid_gravity},
      {"GravityHyphenated", with_file({{"width", "9"}, {"gravity", "north-east"}}),
       ErrorCode::invalid_gravity},
      {"DprTimesWidthOverMax", with_file({{"width", "2501"}, {"dpr", "4"}}), ErrorCode::invalid_dpr,
       "width and height times dpr must be at most 10000; ask for a smaller size or dpr"},
      {"DprTimesHeightOverMax", with_file({{"width", "10"}, {"height", "5001"}, {"dpr", "2"}}),
       ErrorCode::invalid_dpr},
      {"ProgressiveYes", with_file({{"width", "9"}, {"progressive", "yes"}}),
       ErrorCode::invalid_progressive, "progressive must be true or false"},
      {"ProgressiveOne", with_file({{"width", "9"}, {"progressive", "1"}}),
       ErrorCode::invalid_progressive},
      {"LosslessOn", with_file({{"width", "9"}, {"lossless", "on"}}), ErrorCode::invalid_lossless,
       "lossless must be true or false"},
      {"LosslessTrueWithSpace", with_file({{"width", "9"}, {"lossless", "true "}}),
       ErrorCode::invalid_lossless},
      {"StripNo", with_file({{"width", "9"}, {"strip", "no"}}), ErrorCode::invalid_strip,
       "strip must be true or false"},
      {"CropThreeNumbers", with_file({{"width", "9"}, {"crop", "1,2,3"}}), ErrorCode::invalid_crop,
       "crop must be x,y,w,h in pixels of the image: x and y from 0, w and h from 1, e.g. "
       "crop=100,50,400,300"},
      {"CropFiveNumbers", with_file({{"width", "9"}, {"crop", "1,2,3,4,5"}}),
       ErrorCode::invalid_crop},
      {"CropZeroWidth", with_file({{"width", "9"}, {"crop", "0,0,0,10"}}), ErrorCode::invalid_crop},
      {"CropNegative", with_file({{"width", "9"}, {"crop", "-1,0,10,10"}}),
       ErrorCode::invalid_crop},
      {"CropSpaces", with_file({{"width", "9"}, {"crop", "0, 0, 10, 10"}}),
       ErrorCode::invalid_crop},
      {"CropEmptyItem", with_file({{"width", "9"}, {"crop", "0,,10,10"}}), ErrorCode::invalid_crop},
      {"CropHuge", with_file({{"width", "9"}, {"crop", "0,0,99999999999,10"}}),
       ErrorCode::invalid_crop},
      {"CropFraction", with_file({{"width", "9"}, {"crop", "0,0,10.5,10"}}),
       ErrorCode::invalid_crop},
      {"FormatJpegXlAlias", with_file({{"width", "9"}, {"format", "jpegxl"}}),
       ErrorCode::invalid_format,
       "format must be one of same, auto, jpeg, png, webp, avif, gif, tiff, jxl"},
      {"DuplicateReportedBeforeMissingFile",
       {{"height", "1"}, {"height", "2"}},
       ErrorCode::malformed_request},
  };
  using Named = std::pair<std::string, std::string>;
  for (const auto& [label, bad] :
       std::vector<Named>{{"Letters", "abc"},
                          {"Fraction", "1.5"},
                          {"Negative", "-3"},
                          {"Zero", "0"},
                          {"PlusSign", "+5"},
                          {"OverMax", "10001"},
                          {"LeadingSpace", " 12"},
                          {"TrailingSpace", "12 "},
                          {"Exponent", "1e3"},
                          {"Hex", "0x10"},
                          {"OverflowingDigits", "99999999999999999999999999"},
                          {"WrapsTo100In32Bits", "4294967396"},
                          {"ArabicIndicDigit", "\xd9\xa1"}}) {
    cases.push_back({"Width" + label, with_file({{"width", bad}}), ErrorCode::invalid_size,
                     "width must be an integer from 1 to 10000"});
  }
  for (const auto& [label, bad] : std::vector<Named>{{"Zero", "0"},
                                                     {"OverMax", "101"},
                                                     {"Letters", "abc"},
                                                     {"Fraction", "50.5"},
                                                     {"Negative", "-1"},
                                                     {"PlusSign", "+50"},
                                                     {"LeadingSpace", " 50"},
                                                     {"OverflowingDigits", "1000000000000"}}) {
    cases.push_back({"Quality" + label, with_file({{"width", "9"}, {"quality", bad}}),
                     ErrorCode::invalid_quality, "quality must be an integer from 1 to 100"});
  }
  for (const auto& [label, bad] : std::vector<Named>{{"Zero", "0"},
                                                     {"OverMax", "5"},
                                                     {"Fraction", "1.5"},
                                                     {"Negative", "-2"},
                                                     {"PlusSign", "+2"},
                                                     {"Letters", "x2"},
                                                     {"LeadingSpace", " 2"}}) {
    cases.push_back({"Dpr" + label, with_file({{"width", "9"}, {"dpr", bad}}),
                     ErrorCode::invalid_dpr, "dpr must be an integer from 1 to 4"});
  }
  for (const auto& [label, bad] : std::vector<Named>{{"ColourName", "red"},
                                                     {"ShortHex", "#fff"},
                                                     {"NoHash", "ff0000"},
                                                     {"NotHex", "#gg0000"},
                                                     {"SevenDigits", "#ff00000"},
                                                     {"NineDigits", "#ff0000801"},
                                                     {"SpaceAfterHash", "# ff0000"},
                                                     {"TrailingSpace", "#ff0000 "}}) {
    cases.push_back({"Background" + label, with_file({{"width", "9"}, {"background", bad}}),
                     ErrorCode::invalid_background,
                     "background must be a hex colour #rrggbb or #rrggbbaa"});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, ResizeFormRejectsTest, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<BadCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(ResizeFormLimitsTest, MaxOutputSideComesFromLimits) {
  core::Limits limits;
  limits.max_output_side = 500;
  const Fields ok = with_file({{"width", "500"}});
  const Fields too_wide = with_file({{"width", "501"}});
  EXPECT_TRUE(parse_resize_form(to_parts(ok), limits).ok());
  const auto rejected = parse_resize_form(to_parts(too_wide), limits);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, ErrorCode::invalid_size);
  EXPECT_EQ(rejected.error().public_message, "width must be an integer from 1 to 500");
}

TEST(ResizeFormLimitsTest, ZeroMaxOutputSideMeansUnlimited) {
  core::Limits limits;
  limits.max_output_side = 0;
  const Fields huge = with_file({{"height", "2147483647"}});
  const auto form = parse_resize_form(to_parts(huge), limits);
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_EQ(form->spec.height, 2147483647);
  const Fields overflow = with_file({{"height", "2147483648"}});
  const auto rejected = parse_resize_form(to_parts(overflow), limits);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().public_message, "height must be a positive integer");
}

TEST(ResizeFormTest, UrlInsteadOfFileAndACallback) {
  const Fields fields{{"url", "https://example.com/a.jpg"},
                      {"width", "9"},
                      {"callback_url", "https://hooks.example.com/done"}};
  const auto form = parse_resize_form(to_parts(fields), core::Limits{});
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_TRUE(form->file.empty());
  EXPECT_EQ(form->source_url, "https://example.com/a.jpg");
  EXPECT_EQ(form->callback_url, "https://hooks.example.com/done");
  EXPECT_EQ(form->spec, spec(9, std::nullopt));
}

// A browser sends an empty part for a file input left blank.
TEST(ResizeFormTest, EmptyFileBesideAUrlCountsAsAbsent) {
  const Fields fields{{"file", ""}, {"url", "http://example.com/a.png"}, {"height", "4"}};
  const auto form = parse_resize_form(to_parts(fields), core::Limits{});
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_EQ(form->source_url, "http://example.com/a.png");
}

TEST(ResizeFormTest, UploadHasNoUrls) {
  const auto form = parse_resize_form(to_parts(with_file({{"width", "9"}})), core::Limits{});
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_TRUE(form->source_url.empty());
  EXPECT_TRUE(form->callback_url.empty());
}

TEST(ResizeFormTest, FileIsAViewIntoThePart) {
  const Fields fields = with_file({{"width", "9"}});
  const std::vector<FormPart> parts = to_parts(fields);
  const auto form = parse_resize_form(parts, core::Limits{});
  ASSERT_TRUE(form.ok()) << form.error().public_message;
  EXPECT_EQ(form->file.data(), fields[0].second.data());
}

}  // namespace
}  // namespace image_resize::http
