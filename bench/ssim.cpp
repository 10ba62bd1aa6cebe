#include "ssim.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace image_resize::bench {
namespace {

using vips::VImage;

constexpr double kSigma = 1.5;
constexpr double kPeak = 255;
constexpr double kC1 = (0.01 * kPeak) * (0.01 * kPeak);
constexpr double kC2 = (0.03 * kPeak) * (0.03 * kPeak);

std::string shape(const VImage& image) {
  return std::to_string(image.width()) + "x" + std::to_string(image.height()) + " with " +
         std::to_string(image.bands()) + " bands";
}

void check_comparable(const VImage& a, const VImage& b) {
  if (a.width() != b.width() || a.height() != b.height() || a.bands() != b.bands()) {
    throw std::invalid_argument("images differ: " + shape(a) + " and " + shape(b));
  }
}

// The 2-D Gaussian window is separable: this row, normalised to sum 1, across then down.
VImage gaussian_row() {
  std::vector<double> weights(kSsimWindow);
  double sum = 0;
  for (int i = 0; i < kSsimWindow; ++i) {
    const double d = i - kSsimWindow / 2;
    weights[i] = std::exp(-d * d / (2 * kSigma * kSigma));
    sum += weights[i];
  }
  for (double& weight : weights) weight /= sum;
  return VImage::new_matrix(kSsimWindow, 1, weights.data(), kSsimWindow);
}

// The Gaussian-weighted local mean at every pixel (libvips copies the edge pixels outwards; the
// edges are cut off afterwards).
VImage local_mean(const VImage& image, const VImage& row) {
  return image.convsep(row, VImage::option()->set("precision", VIPS_PRECISION_FLOAT));
}

}  // namespace

double ssim(const VImage& a, const VImage& b) {
  check_comparable(a, b);
  if (a.width() < kSsimWindow || a.height() < kSsimWindow) {
    throw std::invalid_argument("images smaller than the SSIM window");
  }
  // In memory once: every term below reads both images.
  const VImage x = a.cast(VIPS_FORMAT_DOUBLE).copy_memory();
  const VImage y = b.cast(VIPS_FORMAT_DOUBLE).copy_memory();
  const VImage row = gaussian_row();
  const VImage mu_x = local_mean(x, row);
  const VImage mu_y = local_mean(y, row);
  const VImage mu_xy = mu_x * mu_y;
  const VImage mu_xx = mu_x * mu_x;
  const VImage mu_yy = mu_y * mu_y;
  const VImage var_x = local_mean(x * x, row) - mu_xx;
  const VImage var_y = local_mean(y * y, row) - mu_yy;
  const VImage covariance = local_mean(x * y, row) - mu_xy;
  const VImage map = ((2 * mu_xy + kC1) * (2 * covariance + kC2)) /
                     ((mu_xx + mu_yy + kC1) * (var_x + var_y + kC2));
  const int edge = kSsimWindow / 2;
  // avg() is the mean over the pixels and the bands.
  return map.extract_area(edge, edge, a.width() - 2 * edge, a.height() - 2 * edge).avg();
}

double psnr_db(const VImage& a, const VImage& b) {
  check_comparable(a, b);
  const VImage difference = a.cast(VIPS_FORMAT_DOUBLE) - b.cast(VIPS_FORMAT_DOUBLE);
  const double mse = (difference * difference).avg();
  if (mse == 0) return std::numeric_limits<double>::infinity();
  return 10 * std::log10(kPeak * kPeak / mse);
}

}  // namespace image_resize::bench
