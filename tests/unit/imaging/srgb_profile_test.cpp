// is_srgb_profile tells sRGB profiles under other names from profiles that change colours.
#include "imaging/srgb_profile.h"

#include <gtest/gtest.h>
#include <lcms2.h>

#include <string>
#include <vips/vips8>

#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

std::string saved(cmsHPROFILE profile) {
  cmsUInt32Number size = 0;
  EXPECT_TRUE(cmsSaveProfileToMem(profile, nullptr, &size));
  std::string bytes(size, '\0');
  EXPECT_TRUE(cmsSaveProfileToMem(profile, bytes.data(), &size));
  cmsCloseProfile(profile);
  return bytes;
}

// An RGB matrix/TRC profile with sRGB's primaries and white point and the given curve.
std::string rgb_profile(const cmsCIExyYTRIPLE& primaries, cmsToneCurve* curve) {
  cmsCIExyY d65;
  cmsWhitePointFromTemp(&d65, 6504);
  cmsToneCurve* curves[3] = {curve, curve, curve};
  std::string bytes = saved(cmsCreateRGBProfile(&d65, &primaries, curves));
  cmsFreeToneCurve(curve);
  return bytes;
}

constexpr cmsCIExyYTRIPLE kSrgbPrimaries{{0.64, 0.33, 1.0}, {0.30, 0.60, 1.0}, {0.15, 0.06, 1.0}};
constexpr cmsCIExyYTRIPLE kAdobeRgbPrimaries{
    {0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};

cmsToneCurve* srgb_curve() {
  const cmsFloat64Number parameters[] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
  return cmsBuildParametricToneCurve(nullptr, 4, parameters);
}

bool srgb(const std::string& profile) { return is_srgb_profile(profile.data(), profile.size()); }

TEST(SrgbProfile, KnowsLcmsOwnSrgb) { EXPECT_TRUE(srgb(saved(cmsCreate_sRGBProfile()))); }

TEST(SrgbProfile, KnowsLibvipsBuiltInSrgb) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  VipsBlob* blob = nullptr;
  ASSERT_EQ(vips_profile_load("srgb", &blob, nullptr), 0);
  std::size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  EXPECT_TRUE(is_srgb_profile(data, size));
  vips_area_unref(VIPS_AREA(blob));
}

TEST(SrgbProfile, KnowsSrgbBuiltFromItsDefinition) {
  // Another D50 adaptation of the same primaries and the parametric sRGB curve.
  EXPECT_TRUE(srgb(rgb_profile(kSrgbPrimaries, srgb_curve())));
}

TEST(SrgbProfile, RefusesOtherCurvesAndPrimaries) {
  EXPECT_FALSE(srgb(rgb_profile(kSrgbPrimaries, cmsBuildGamma(nullptr, 2.2))));
  EXPECT_FALSE(srgb(rgb_profile(kSrgbPrimaries, cmsBuildGamma(nullptr, 1.0))));
  EXPECT_FALSE(srgb(rgb_profile(kAdobeRgbPrimaries, srgb_curve())));
}

TEST(SrgbProfile, RefusesDisplayP3) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage p3 = vips::VImage::new_from_buffer(test::fixture("display_p3.png"), "");
  std::size_t size = 0;
  const void* data = p3.get_blob(VIPS_META_ICC_NAME, &size);
  EXPECT_FALSE(is_srgb_profile(data, size));
}

TEST(SrgbProfile, RefusesGreyLabAndBrokenProfiles) {
  cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
  EXPECT_FALSE(srgb(saved(cmsCreateGrayProfile(cmsD50_xyY(), gamma))));
  cmsFreeToneCurve(gamma);
  EXPECT_FALSE(srgb(saved(cmsCreateLab4Profile(nullptr))));
  const std::string whole = saved(cmsCreate_sRGBProfile());
  EXPECT_FALSE(srgb(whole.substr(0, whole.size() / 2)));
  EXPECT_FALSE(srgb(std::string(200, 'x')));
  EXPECT_FALSE(is_srgb_profile(nullptr, 0));
}

}  // namespace
}  // namespace image_resize::imaging
