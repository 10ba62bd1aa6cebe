#include "imaging/srgb_profile.h"

#include <lcms2.h>

#include <array>
#include <cmath>
#include <memory>

namespace image_resize::imaging {
namespace {

struct ProfileClose {
  void operator()(cmsHPROFILE profile) const { cmsCloseProfile(profile); }
};
using Profile = std::unique_ptr<void, ProfileClose>;

// Colorants in D50 XYZ: sRGB profiles differ in the 4th decimal with their chromatic adaptation.
constexpr double kColorantTolerance = 0.003;
// A tone curve's value on 0..1: within a fifth of an 8-bit step.
constexpr double kCurveTolerance = 0.2 / 255.0;
constexpr int kCurvePoints = 64;

constexpr std::array<cmsTagSignature, 3> kColorants{cmsSigRedColorantTag, cmsSigGreenColorantTag,
                                                    cmsSigBlueColorantTag};
constexpr std::array<cmsTagSignature, 3> kCurves{cmsSigRedTRCTag, cmsSigGreenTRCTag,
                                                 cmsSigBlueTRCTag};

bool same_colorant(cmsHPROFILE profile, cmsHPROFILE srgb, cmsTagSignature tag) {
  const auto* ours = static_cast<const cmsCIEXYZ*>(cmsReadTag(profile, tag));
  const auto* reference = static_cast<const cmsCIEXYZ*>(cmsReadTag(srgb, tag));
  return ours != nullptr && reference != nullptr &&
         std::abs(ours->X - reference->X) <= kColorantTolerance &&
         std::abs(ours->Y - reference->Y) <= kColorantTolerance &&
         std::abs(ours->Z - reference->Z) <= kColorantTolerance;
}

bool same_curve(cmsHPROFILE profile, cmsHPROFILE srgb, cmsTagSignature tag) {
  const auto* ours = static_cast<const cmsToneCurve*>(cmsReadTag(profile, tag));
  const auto* reference = static_cast<const cmsToneCurve*>(cmsReadTag(srgb, tag));
  if (ours == nullptr || reference == nullptr) return false;
  for (int i = 0; i <= kCurvePoints; ++i) {
    const auto x = static_cast<cmsFloat32Number>(i) / kCurvePoints;
    if (std::abs(cmsEvalToneCurveFloat(ours, x) - cmsEvalToneCurveFloat(reference, x)) >
        kCurveTolerance) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_srgb_profile(const void* data, std::size_t size) {
  if (data == nullptr || size == 0 || size > 0xFFFFFFFFU) return false;
  const Profile profile(cmsOpenProfileFromMem(data, static_cast<cmsUInt32Number>(size)));
  if (!profile || cmsGetColorSpace(profile.get()) != cmsSigRgbData ||
      !cmsIsMatrixShaper(profile.get())) {
    return false;
  }
  // The A2B/B2A tables, where present, are what lcms would use instead of the matrix.
  if (cmsIsTag(profile.get(), cmsSigAToB0Tag) || cmsIsTag(profile.get(), cmsSigBToA0Tag)) {
    return false;
  }
  const Profile srgb(cmsCreate_sRGBProfile());
  for (cmsTagSignature tag : kColorants) {
    if (!same_colorant(profile.get(), srgb.get(), tag)) return false;
  }
  for (cmsTagSignature tag : kCurves) {
    if (!same_curve(profile.get(), srgb.get(), tag)) return false;
  }
  return true;
}

}  // namespace image_resize::imaging
