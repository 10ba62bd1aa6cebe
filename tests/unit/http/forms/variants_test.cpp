// The outputs of one upload (`variants`, `preset`): each variant is the upload's fields with its
// own in place of them; every limit and mistake is refused with its code and a message that
// names the variant and the field.

#include "http/forms/variants.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "form_parts_for_test.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

constexpr const char* kPresetsFile = R"({
  "thumb": [{"name": "thumb", "width": 150, "height": 150, "fit": "cover", "format": "webp"}],
  "card": [{"name": "card", "width": 600}, {"name": "card_2x", "width": 600, "dpr": 2}]
})";

Presets example_presets() { return Presets::parse(kPresetsFile, core::Limits{}).value(); }

core::Result<std::vector<Variant>> parse(const Fields& fields, bool only_presets = false) {
  return parse_variants(to_parts(fields), example_presets(), only_presets, core::Limits{});
}

// `count` variants named v0, v1, ..., each 10 wide.
std::string variants_json(int count) {
  std::string list = "[";
  for (int i = 0; i < count; ++i) {
    if (i > 0) list.append(",");
    list.append(R"({"name": "v)").append(std::to_string(i)).append(R"(", "width": 10})");
  }
  return list.append("]");
}

std::vector<std::string> names_of(const std::vector<Variant>& variants) {
  std::vector<std::string> names;
  for (const Variant& variant : variants) names.push_back(variant.name);
  return names;
}

TEST(Variants, WithoutVariantsOrPresetsTheUploadHasItsOneOutput) {
  const auto none = parse({{"file", "img"}, {"width", "100"}});
  ASSERT_TRUE(none.ok()) << none.error().public_message;
  EXPECT_TRUE(none->empty());
  const auto blank = parse({{"file", "img"}, {"width", "100"}, {"variants", ""}, {"preset", ""}});
  ASSERT_TRUE(blank.ok()) << blank.error().public_message;
  EXPECT_TRUE(blank->empty());
}

TEST(Variants, EachVariantIsTheUploadsFieldsWithItsOwnInTheirPlace) {
  const auto variants = parse({{"file", "img"},
                               {"format", "jpeg"},
                               {"quality", "60"},
                               {"priority", "high"},
                               {"variants", R"([{"name": "small", "width": 100},
                              {"name": "large", "width": 1200, "quality": 90, "format": "webp"}])"}});
  ASSERT_TRUE(variants.ok()) << variants.error().public_message;
  ASSERT_EQ(variants->size(), 2u);
  const core::ResizeSpec& small = (*variants)[0].spec;
  EXPECT_EQ((*variants)[0].name, "small");
  EXPECT_EQ(small.width, 100);
  EXPECT_EQ(small.height, std::nullopt);
  EXPECT_EQ(small.format, core::OutputFormat::jpeg);
  EXPECT_EQ(small.quality, 60);
  EXPECT_EQ(small.priority, core::Priority::high);
  const core::ResizeSpec& large = (*variants)[1].spec;
  EXPECT_EQ((*variants)[1].name, "large");
  EXPECT_EQ(large.width, 1200);
  EXPECT_EQ(large.format, core::OutputFormat::webp);
  EXPECT_EQ(large.quality, 90);
  EXPECT_EQ(large.priority, core::Priority::high);
}

TEST(Variants, AVariantsSizeReplacesTheUploadsWholeSize) {
  const auto variants = parse({{"file", "img"},
                               {"width", "300"},
                               {"height", "200"},
                               {"dpr", "2"},
                               {"variants", R"([{"name": "tall", "height": 400},
                                                {"name": "same", "format": "png"}])"}});
  ASSERT_TRUE(variants.ok()) << variants.error().public_message;
  const core::ResizeSpec& tall = (*variants)[0].spec;
  EXPECT_EQ(tall.width, std::nullopt);
  EXPECT_EQ(tall.height, 400);
  EXPECT_EQ(tall.dpr, 2);
  const core::ResizeSpec& same = (*variants)[1].spec;
  EXPECT_EQ(same.width, 300);
  EXPECT_EQ(same.height, 200);
  EXPECT_EQ(same.format, core::OutputFormat::png);
}

TEST(Variants, PresetsComeAfterTheVariantsFieldInTheOrderNamed) {
  const auto variants = parse({{"file", "img"},
                               {"preset", "card"},
                               {"variants", R"([{"name": "hero", "width": 1600}])"},
                               {"preset", "thumb"}});
  ASSERT_TRUE(variants.ok()) << variants.error().public_message;
  EXPECT_EQ(names_of(*variants), (std::vector<std::string>{"hero", "card", "card_2x", "thumb"}));
  const core::ResizeSpec& thumb = (*variants)[3].spec;
  EXPECT_EQ(thumb.width, 150);
  EXPECT_EQ(thumb.height, 150);
  EXPECT_EQ(thumb.fit, core::Fit::cover);
  EXPECT_EQ((*variants)[2].spec.dpr, 2);
}

TEST(Variants, SixteenVariantsAreAllowed) {
  const auto variants = parse({{"file", "img"}, {"variants", variants_json(16)}});
  ASSERT_TRUE(variants.ok()) << variants.error().public_message;
  EXPECT_EQ(variants->size(), 16u);
}

TEST(Variants, OnlyPresetsTakesPresetsAndTheUploadsOtherFields) {
  const auto variants =
      parse({{"file", "img"}, {"preset", "thumb"}, {"quality", "50"}}, /*only_presets=*/true);
  ASSERT_TRUE(variants.ok()) << variants.error().public_message;
  ASSERT_EQ(variants->size(), 1u);
  EXPECT_EQ((*variants)[0].spec.quality, 50);
}

struct BadUpload {
  std::string name;
  Fields fields;
  ErrorCode code;
  std::string message;  // the whole public message
  bool only_presets = false;
};
void PrintTo(const BadUpload& c, std::ostream* os) { *os << c.name; }

class VariantsRejectTest : public ::testing::TestWithParam<BadUpload> {};

TEST_P(VariantsRejectTest, FailsWithCodeAndMessage) {
  const BadUpload& c = GetParam();
  const auto variants = parse(c.fields, c.only_presets);
  ASSERT_FALSE(variants.ok());
  EXPECT_EQ(variants.error().code, c.code) << core::to_string(variants.error().code);
  EXPECT_EQ(variants.error().public_message, c.message);
}

const std::string kShape =
    R"(variants must be a JSON array of variants like [{"name": "thumb", "width": 150}, )"
    R"({"name": "large", "width": 1200}])";
const std::string kOnly = "this server resizes to its presets only (card, thumb): ";

std::vector<BadUpload> bad_uploads() {
  return {
      {"NotJson", {{"variants", "[{"}}, ErrorCode::invalid_variants, kShape},
      {"AnObject",
       {{"variants", R"({"name": "a", "width": 1})"}},
       ErrorCode::invalid_variants,
       kShape},
      {"EmptyArray", {{"variants", "[]"}}, ErrorCode::invalid_variants, kShape},
      {"Seventeen",
       {{"variants", variants_json(17)}},
       ErrorCode::invalid_variants,
       "an upload may ask for at most 16 variants, variants and presets together; this one asks "
       "for 17"},
      {"SixteenAndAPreset",
       {{"variants", variants_json(15)}, {"preset", "card"}},
       ErrorCode::invalid_variants,
       "an upload may ask for at most 16 variants, variants and presets together; this one asks "
       "for 17"},
      {"TooLong",
       {{"variants", std::string(kMaxVariantsFieldBytes + 1, ' ')}},
       ErrorCode::invalid_variants,
       "variants is longer than 16384 bytes"},
      {"NotAnObject",
       {{"variants", R"([{"name": "a", "width": 1}, "b"])"}},
       ErrorCode::invalid_variants,
       R"(variants[1]: a variant must be an object like {"name": "thumb", "width": 150})"},
      {"NoName",
       {{"variants", R"([{"width": 1}])"}},
       ErrorCode::invalid_variants,
       "variants[0]: name must be 1 to 32 characters of a-z, 0-9, _ and -"},
      {"UpperCaseName",
       {{"variants", R"([{"name": "Thumb", "width": 1}])"}},
       ErrorCode::invalid_variants,
       "variants[0]: name must be 1 to 32 characters of a-z, 0-9, _ and -"},
      {"LongName",
       {{"variants", std::string(R"([{"name": ")").append(33, 'a').append(R"(", "width": 1}])")}},
       ErrorCode::invalid_variants,
       "variants[0]: name must be 1 to 32 characters of a-z, 0-9, _ and -"},
      {"UnknownField",
       {{"variants", R"([{"name": "a", "width": 1, "file": "x"}])"}},
       ErrorCode::invalid_variants,
       "variants[0]: unknown field 'file'; a variant takes name, width, height, fit, format, "
       "quality, background, dpr, progressive, lossless, strip, gravity, crop"},
      {"ValueIsNull",
       {{"variants", R"([{"name": "a", "width": null}])"}},
       ErrorCode::invalid_variants,
       "variants[0]: width must be a string, a number, true or false"},
      {"BadQuality",
       {{"variants", R"([{"name": "a", "width": 1}, {"name": "b", "width": 1, )"
                     R"("quality": 0}])"}},
       ErrorCode::invalid_variants,
       "variants[1] ('b'): quality must be an integer from 1 to 100"},
      {"FractionalWidth",
       {{"variants", R"([{"name": "a", "width": 1.5}])"}},
       ErrorCode::invalid_variants,
       "variants[0] ('a'): width must be an integer from 1 to 10000"},
      {"BadFit",
       {{"variants", R"([{"name": "a", "width": 1, "fit": "stretch"}])"}},
       ErrorCode::invalid_variants,
       "variants[0] ('a'): fit must be one of fill, inside, cover, contain"},
      {"NoSizeAnywhere",
       {{"variants", R"([{"name": "a", "format": "png"}])"}},
       ErrorCode::invalid_variants,
       "variants[0] ('a'): give width or height (or both), each an integer from 1 to 10000"},
      {"UploadsDprTimesVariantsWidth",
       {{"dpr", "4"}, {"variants", R"([{"name": "a", "width": 5000}])"}},
       ErrorCode::invalid_variants,
       "variants[0] ('a'): width and height times dpr must be at most 10000; ask for a smaller "
       "size or dpr"},
      {"SameNameTwice",
       {{"variants", R"([{"name": "card", "width": 1}])"}, {"preset", "card"}},
       ErrorCode::invalid_variants,
       "the variant name 'card' is used twice, by variants[0] and by preset 'card'"},
      {"SamePresetTwice",
       {{"preset", "thumb"}, {"preset", "thumb"}},
       ErrorCode::invalid_variants,
       "the variant name 'thumb' is used twice, by preset 'thumb' and by preset 'thumb'"},
      {"VariantsFieldTwice",
       {{"variants", variants_json(1)}, {"variants", variants_json(1)}},
       ErrorCode::malformed_request,
       "the form field 'variants' is given more than once"},
      {"UploadsOwnFieldKeepsItsCode",
       {{"quality", "0"}, {"variants", variants_json(1)}},
       ErrorCode::invalid_quality,
       "quality must be an integer from 1 to 100"},
      {"UnknownPreset",
       {{"preset", "hero"}},
       ErrorCode::unknown_preset,
       "unknown preset 'hero'; the presets are card, thumb"},
      {"PresetNameNotEchoed",
       {{"preset", "<script>"}},
       ErrorCode::unknown_preset,
       "unknown preset; the presets are card, thumb"},
      {"OnlyPresetsRefusesVariants",
       {{"variants", variants_json(1)}, {"preset", "thumb"}},
       ErrorCode::presets_only,
       kOnly + "name them in 'preset' fields instead of sending 'variants'",
       true},
      {"OnlyPresetsRefusesAWidth",
       {{"width", "100"}, {"preset", "thumb"}},
       ErrorCode::presets_only,
       kOnly + "leave out width and name a preset",
       true},
      {"OnlyPresetsRefusesAHeight",
       {{"height", "100"}, {"preset", "thumb"}},
       ErrorCode::presets_only,
       kOnly + "leave out height and name a preset",
       true},
      {"OnlyPresetsRefusesADpr",
       {{"dpr", "2"}, {"preset", "thumb"}},
       ErrorCode::presets_only,
       kOnly + "leave out dpr and name a preset",
       true},
      {"OnlyPresetsNeedsAPreset",
       {{"format", "png"}},
       ErrorCode::presets_only,
       kOnly + "name one in a 'preset' field",
       true},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases, VariantsRejectTest, ::testing::ValuesIn(bad_uploads()),
                         [](const ::testing::TestParamInfo<BadUpload>& param_info) {
                           return param_info.param.name;
                         });

TEST(Variants, AnUnknownPresetOnAServerWithoutPresets) {
  const auto variants =
      parse_variants(to_parts({{"preset", "thumb"}}), Presets{}, false, core::Limits{});
  ASSERT_FALSE(variants.ok());
  EXPECT_EQ(variants.error().code, ErrorCode::unknown_preset);
  EXPECT_EQ(variants.error().public_message, "unknown preset 'thumb'; this server has no presets");
}

}  // namespace
}  // namespace image_resize::http
