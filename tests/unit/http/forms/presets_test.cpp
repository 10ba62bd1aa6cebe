// --presets-file: a good file gives its presets, each variant checked by the upload form's own
// rules; a bad one is refused with the preset, the variant's index and the problem named.

#include "http/forms/presets.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace image_resize::http {
namespace {

using core::ErrorCode;

constexpr const char* kExample = R"({
  "thumb": [{"name": "thumb", "width": 150, "height": 150, "fit": "cover", "format": "webp"}],
  "card": [{"name": "card", "width": 600, "quality": "70"},
           {"name": "card_2x", "width": 600, "dpr": 2, "progressive": true}]
})";

TEST(Presets, AGoodFileGivesEveryPresetByName) {
  const auto presets = Presets::parse(kExample, core::Limits{});
  ASSERT_TRUE(presets.ok()) << presets.error().public_message;
  EXPECT_EQ(presets->size(), 2u);
  EXPECT_EQ(presets->names(), "card, thumb");
  const auto* card = presets->find("card");
  ASSERT_NE(card, nullptr);
  ASSERT_EQ(card->size(), 2u);
  EXPECT_EQ((*card)[0].name, "card");
  EXPECT_EQ((*card)[1].name, "card_2x");
  EXPECT_EQ((*card)[1].values.at("dpr"), "2");
  EXPECT_EQ((*card)[1].values.at("progressive"), "true");
  EXPECT_EQ(presets->find("hero"), nullptr);
}

TEST(Presets, AVariantResolvesToTheSpecItDescribes) {
  const auto presets = Presets::parse(kExample, core::Limits{});
  ASSERT_TRUE(presets.ok()) << presets.error().public_message;
  const auto spec = resolve_variant(FormFields{}, presets->find("thumb")->front(), core::Limits{});
  ASSERT_TRUE(spec.ok()) << spec.error().public_message;
  core::ResizeSpec expected;
  expected.width = 150;
  expected.height = 150;
  expected.fit = core::Fit::cover;
  expected.format = core::OutputFormat::webp;
  EXPECT_EQ(*spec, expected);
}

TEST(Presets, NoneIsEmpty) {
  const Presets none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.find("thumb"), nullptr);
  EXPECT_EQ(none.names(), "");
}

struct BadFile {
  std::string name;
  std::string json;
  std::string message;  // the whole public message
};
void PrintTo(const BadFile& c, std::ostream* os) { *os << c.name; }

class PresetsRejectTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(PresetsRejectTest, NamesThePresetTheVariantAndTheProblem) {
  core::Limits limits;
  limits.max_output_side = 1000;
  const auto presets = Presets::parse(GetParam().json, limits);
  ASSERT_FALSE(presets.ok());
  EXPECT_EQ(presets.error().code, ErrorCode::invalid_variants);
  EXPECT_EQ(presets.error().public_message, GetParam().message);
}

const std::string kShape =
    R"(must be a JSON object of presets, each a list of variants: {"thumb": [{"name": "thumb", )"
    R"("width": 150}]})";

INSTANTIATE_TEST_SUITE_P(
    Cases, PresetsRejectTest,
    ::testing::Values(
        BadFile{"NotJson", R"({"thumb": [)", kShape}, BadFile{"AnArray", "[]", kShape},
        BadFile{"NoPresets", "{}", kShape},
        BadFile{"BadPresetName", R"({"Thumb": [{"name": "t", "width": 1}]})",
                "preset 'Thumb': a preset's name is 1 to 32 characters of a-z, 0-9, _ and -"},
        BadFile{"PresetNotAList", R"({"thumb": {"name": "t", "width": 1}})",
                "preset 'thumb': must be a list of 1 to 16 variants"},
        BadFile{"EmptyPreset", R"({"thumb": []})",
                "preset 'thumb': must be a list of 1 to 16 variants"},
        BadFile{"VariantNotAnObject", R"({"thumb": [150]})",
                R"(preset 'thumb', variant 0: a variant must be an object like {"name": )"
                R"("thumb", "width": 150})"},
        BadFile{"VariantWithoutName", R"({"thumb": [{"width": 150}]})",
                "preset 'thumb', variant 0: name must be 1 to 32 characters of a-z, 0-9, _ and -"},
        BadFile{"UnknownField", R"({"thumb": [{"name": "t", "width": 1, "priority": "high"}]})",
                "preset 'thumb', variant 0: unknown field 'priority'; a variant takes name, "
                "width, height, fit, format, quality, background, dpr, progressive, lossless, "
                "strip, gravity, crop"},
        BadFile{"ValueNotScalar", R"({"thumb": [{"name": "t", "width": [150]}]})",
                "preset 'thumb', variant 0: width must be a string, a number, true or false"},
        BadFile{"BadQualityInTheSecondVariant",
                R"({"thumb": [{"name": "a", "width": 1}, {"name": "b", "width": 1, )"
                R"("quality": 500}]})",
                "preset 'thumb', variant 1 ('b'): quality must be an integer from 1 to 100"},
        BadFile{"NoSize", R"({"thumb": [{"name": "t", "format": "webp"}]})",
                "preset 'thumb', variant 0 ('t'): give width or height (or both), each an "
                "integer from 1 to 1000"},
        BadFile{"OverTheLimitWithDpr", R"({"thumb": [{"name": "t", "width": 600, "dpr": 2}]})",
                "preset 'thumb', variant 0 ('t'): width and height times dpr must be at most "
                "1000; ask for a smaller size or dpr"},
        BadFile{"SameNameTwice",
                R"({"thumb": [{"name": "t", "width": 1}, {"name": "t", "height": 1}]})",
                "preset 'thumb', variant 1: the name 't' is used twice in the preset"}),
    [](const ::testing::TestParamInfo<BadFile>& param_info) { return param_info.param.name; });

TEST(Presets, SeventeenVariantsAreTooMany) {
  std::string list;
  for (int i = 0; i < 17; ++i) {
    if (!list.empty()) list.append(",");
    list.append(R"({"name": "v)").append(std::to_string(i)).append(R"(", "width": 10})");
  }
  const auto presets =
      Presets::parse(std::string(R"({"many": [)").append(list).append("]}"), core::Limits{});
  ASSERT_FALSE(presets.ok());
  EXPECT_EQ(presets.error().public_message, "preset 'many': must be a list of 1 to 16 variants");
}

}  // namespace
}  // namespace image_resize::http
