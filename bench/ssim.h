#pragma once
// How far an image is from a reference, for bench-quality: SSIM (Wang, Bovik, Sheikh and
// Simoncelli 2004, "Image quality assessment: from error visibility to structural similarity")
// and PSNR.
//
// Both take two images of the same size and number of bands, values 0..255 in any numeric
// format: bench-quality gives sRGB without alpha, in float. SSIM is the paper's: an 11×11
// Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, L = 255, population (not sample)
// variances; computed on each band and averaged over the pixels where the window fits whole (no
// padding at the edges) and over the bands. No downsampling first: as scikit-image's
// structural_similarity(gaussian_weights=True, use_sample_covariance=False, data_range=255), not
// the paper's MATLAB code, which first shrinks images larger than 256 pixels.
// Throws std::invalid_argument when the images cannot be compared, vips::VError from libvips.

#include <vips/vips8>

namespace image_resize::bench {

// The side of the SSIM window: images must be at least this wide and high.
inline constexpr int kSsimWindow = 11;

// 1 for identical images, lower the more their local means, contrasts and structure differ;
// symmetric in its arguments.
double ssim(const vips::VImage& a, const vips::VImage& b);

// Peak signal-to-noise ratio in dB (L = 255) of the mean squared error over all pixels and
// bands; +infinity for identical images.
double psnr_db(const vips::VImage& a, const vips::VImage& b);

}  // namespace image_resize::bench
