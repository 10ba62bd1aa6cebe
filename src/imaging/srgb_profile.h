#pragma once
// Whether an embedded ICC profile is sRGB under another name. Photos often carry one (cameras,
// editors saving "for the web"); converting from it to sRGB changes no pixel by more than
// rounding, yet costs an lcms transform of every pixel and the slower decode path: for a
// 4000×3000 JPEG (quality 90, tagged sRGB) to 800×600, 53.6 ms of CPU converted against
// 44.5 ms not, which is what the same file untagged costs.

#include <cstddef>

namespace image_resize::imaging {

// True for an RGB matrix/TRC profile whose colorants and tone curves match lcms2's built-in
// sRGB within what 8-bit output can show (a profile named sRGB but different, say with another
// gamma, is not). False for anything else: other primaries (Display P3, Adobe RGB), LUT-based
// profiles, grey and CMYK profiles, and bytes lcms2 cannot read.
bool is_srgb_profile(const void* data, std::size_t size);

}  // namespace image_resize::imaging
