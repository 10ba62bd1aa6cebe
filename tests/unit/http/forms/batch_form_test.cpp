// Which uploads make a batch, and what each batch is: its files, its variants (the upload's own
// fields as one unnamed variant when it names none) and its priority.

#include "http/forms/batch_form.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "form_parts_for_test.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

Presets example_presets() {
  return Presets::parse(R"({"thumb": [{"name": "thumb", "width": 150, "format": "webp"}]})",
                        core::Limits{})
      .value();
}

core::Result<std::optional<BatchForm>> parse(const Fields& fields, bool only_presets = false,
                                             core::Limits limits = {}) {
  // The parts' views point into `fields`, which the caller keeps.
  return parse_batch_form(to_parts(fields), example_presets(), only_presets, limits);
}

TEST(BatchForm, OneFileWithoutVariantsIsASingleUpload) {
  const Fields fields{{"file", "a"}, {"width", "10"}};
  auto batch = parse(fields);
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  EXPECT_FALSE(batch->has_value());
}

TEST(BatchForm, SeveralFilesMakeABatchOfOneUnnamedVariantAtLowPriority) {
  const Fields fields{{"file", "a"}, {"file", "b"}, {"width", "10"}, {"format", "png"}};
  auto batch = parse(fields);
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  ASSERT_TRUE(batch->has_value());
  const BatchForm& form = **batch;
  ASSERT_EQ(form.files.size(), 2u);
  EXPECT_EQ(form.files[0].bytes, "a");
  EXPECT_EQ(form.files[1].bytes, "b");
  ASSERT_EQ(form.variants.size(), 1u);
  EXPECT_EQ(form.variants[0].name, "");
  EXPECT_EQ(form.variants[0].spec.width, 10);
  EXPECT_EQ(form.variants[0].spec.format, core::OutputFormat::png);
  EXPECT_EQ(form.variants[0].spec.priority, core::Priority::low);
}

TEST(BatchForm, APriorityGivenIsKept) {
  const Fields fields{{"file", "a"}, {"preset", "thumb"}, {"priority", "high"}};
  auto batch = parse(fields);
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  ASSERT_TRUE(batch->has_value());
  ASSERT_EQ((*batch)->variants.size(), 1u);
  EXPECT_EQ((*batch)->variants[0].name, "thumb");
  EXPECT_EQ((*batch)->variants[0].spec.priority, core::Priority::high);
}

TEST(BatchForm, VariantsOfOneFileNeedNoSizeOfTheUpload) {
  const Fields fields{{"file", "a"},
                      {"variants", R"([{"name": "s", "width": 10}, {"name": "l", "width": 90}])"}};
  auto batch = parse(fields);
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  ASSERT_TRUE(batch->has_value());
  ASSERT_EQ((*batch)->variants.size(), 2u);
  EXPECT_EQ((*batch)->variants[1].spec.width, 90);
  EXPECT_EQ((*batch)->files.size(), 1u);
}

TEST(BatchForm, AFileWithoutANameIsNumbered) {
  std::vector<FormPart> parts{FormPart{"file", "x.jpg", "", "a"}, FormPart{"file", "", "", "b"},
                              FormPart{"width", "", "", "10"}};
  auto batch = parse_batch_form(parts, Presets{}, false, core::Limits{});
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  ASSERT_TRUE(batch->has_value());
  EXPECT_EQ((*batch)->files[0].name, "x.jpg");
  EXPECT_EQ((*batch)->files[1].name, "file-2");
}

TEST(BatchForm, RefusesMoreFilesThanTheLimit) {
  core::Limits limits;
  limits.max_batch_files = 2;
  const Fields fields{{"file", "a"}, {"file", "b"}, {"file", "c"}, {"width", "10"}};
  auto batch = parse(fields, false, limits);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::too_many_files);
  EXPECT_NE(batch.error().public_message.find("at most 2"), std::string::npos);
}

TEST(BatchForm, RefusesAnEmptyFileNamingIt) {
  const Fields fields{{"file", "a"}, {"file", ""}, {"width", "10"}};
  auto batch = parse(fields);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::no_file);
  EXPECT_NE(batch.error().public_message.find("file 2"), std::string::npos);
}

TEST(BatchForm, RefusesSeveralFilesAndAUrl) {
  const Fields fields{
      {"file", "a"}, {"file", "b"}, {"url", "https://example.com/a.jpg"}, {"width", "10"}};
  auto batch = parse(fields);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::conflicting_source);
}

TEST(BatchForm, SeveralFilesStillNeedASizeWithoutVariants) {
  const Fields fields{{"file", "a"}, {"file", "b"}};
  auto batch = parse(fields);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::invalid_size);
}

TEST(BatchForm, TheVariantRulesApply) {
  const Fields unknown{{"file", "a"}, {"preset", "nope"}};
  auto batch = parse(unknown);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::unknown_preset);
  const Fields free_size{{"file", "a"}, {"file", "b"}, {"width", "10"}};
  auto only = parse(free_size, true);
  ASSERT_FALSE(only.ok());
  EXPECT_EQ(only.error().code, ErrorCode::presets_only);
}

TEST(BatchForm, AUrlWithVariantsIsABatchWithoutFiles) {
  const Fields fields{{"url", "https://example.com/a.jpg"}, {"preset", "thumb"}};
  auto batch = parse(fields);
  ASSERT_TRUE(batch.ok()) << batch.error().public_message;
  ASSERT_TRUE(batch->has_value());
  EXPECT_TRUE((*batch)->files.empty());
  EXPECT_EQ((*batch)->source_url, "https://example.com/a.jpg");
}

}  // namespace
}  // namespace image_resize::http
