// plan_geometry: the sizes of every fit mode, computed before decoding.
#include "imaging/geometry.h"

#include <gtest/gtest.h>

#include <string>

namespace image_resize::imaging {
namespace {

struct GeometryCase {
  std::string name;
  int source_w, source_h;
  std::optional<int> width, height;
  core::Fit fit;
  Geometry expected;
};

class PlanGeometryTest : public ::testing::TestWithParam<GeometryCase> {};

TEST_P(PlanGeometryTest, Sizes) {
  const GeometryCase& c = GetParam();
  core::ResizeSpec spec;
  spec.width = c.width;
  spec.height = c.height;
  spec.fit = c.fit;
  const Geometry g = plan_geometry(c.source_w, c.source_h, spec);
  EXPECT_EQ(g.scaled_width, c.expected.scaled_width);
  EXPECT_EQ(g.scaled_height, c.expected.scaled_height);
  EXPECT_EQ(g.target_width, c.expected.target_width);
  EXPECT_EQ(g.target_height, c.expected.target_height);
}

using core::Fit;
INSTANTIATE_TEST_SUITE_P(
    AllFits, PlanGeometryTest,
    ::testing::Values(
        // 300x200 into a 100x100 box.
        GeometryCase{"fill_ignores_aspect", 300, 200, 100, 100, Fit::fill, {100, 100, 100, 100}},
        GeometryCase{"inside_keeps_aspect", 300, 200, 100, 100, Fit::inside, {100, 67, 100, 67}},
        GeometryCase{
            "cover_scales_then_crops", 300, 200, 100, 100, Fit::cover, {150, 100, 100, 100}},
        GeometryCase{
            "contain_scales_then_pads", 300, 200, 100, 100, Fit::contain, {100, 67, 100, 100}},
        GeometryCase{"inside_enlarges", 30, 20, 300, 300, Fit::inside, {300, 200, 300, 200}},
        GeometryCase{"cover_tall_box", 300, 200, 50, 200, Fit::cover, {300, 200, 50, 200}},
        // One side: the other follows the aspect ratio, whatever the fit.
        GeometryCase{"width_only", 300, 200, 150, std::nullopt, Fit::fill, {150, 100, 150, 100}},
        GeometryCase{"height_only", 300, 200, std::nullopt, 50, Fit::cover, {75, 50, 75, 50}},
        GeometryCase{
            "width_only_contain", 300, 200, 30, std::nullopt, Fit::contain, {30, 20, 30, 20}},
        GeometryCase{"never_zero", 10000, 10, 10, std::nullopt, Fit::fill, {10, 1, 10, 1}},
        GeometryCase{"thin_contain_never_zero", 10000, 10, 10, 10, Fit::contain, {10, 1, 10, 10}}),
    [](const auto& test_case) { return test_case.param.name; });

TEST(PlanGeometryDpr, MultipliesTheBox) {
  core::ResizeSpec spec;
  spec.width = 100;
  spec.height = 50;
  spec.fit = Fit::cover;
  spec.dpr = 2;
  const Geometry g = plan_geometry(300, 200, spec);
  EXPECT_EQ(g.target_width, 200);
  EXPECT_EQ(g.target_height, 100);
  EXPECT_EQ(g.scaled_width, 200);
  EXPECT_EQ(g.scaled_height, 133);
}

TEST(PlanGeometryDpr, MultipliesTheOneSideGiven) {
  core::ResizeSpec spec;
  spec.height = 50;
  spec.dpr = 3;
  const Geometry g = plan_geometry(300, 200, spec);
  EXPECT_EQ(g.target_height, 150);
  EXPECT_EQ(g.target_width, 225);
}

}  // namespace
}  // namespace image_resize::imaging
