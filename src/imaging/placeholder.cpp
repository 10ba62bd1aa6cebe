#include "imaging/placeholder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>
#include <vips/vips8>

#include "imaging/placeholder_source.h"
#include "imaging/vips_runtime.h"

namespace image_resize::imaging {
namespace {

// The reference mixes float and double (C promotes float with a double literal, and narrows the
// result where it is passed to a float function): every cast below mirrors one of those, so the
// hash is the reference's bit for bit, not merely close.

float srgb_to_linear(int value) {
  const float v = static_cast<float>(value) / 255;
  if (v <= 0.04045) return static_cast<float>(v / 12.92);
  return std::pow(static_cast<float>((v + 0.055) / 1.055), 2.4F);
}

int linear_to_srgb(float value) {
  const float v = std::fmax(0.0F, std::fmin(1.0F, value));
  if (v <= 0.0031308) return static_cast<int>(v * 12.92 * 255 + 0.5);
  return static_cast<int>((1.055 * std::pow(v, static_cast<float>(1 / 2.4)) - 0.055) * 255 + 0.5);
}

float sign_pow(float value, float exponent) {
  return std::copysign(std::pow(std::fabs(value), exponent), value);
}

int encode_ac_channel(float value, float maximum) {
  const auto scaled = static_cast<float>(sign_pow(value / maximum, 0.5F) * 9 + 9.5);
  return static_cast<int>(std::fmax(0.0F, std::fmin(18.0F, std::floor(scaled))));
}

constexpr std::string_view kBase83 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

void append_base83(std::string& out, int value, int length) {
  int divisor = 1;
  for (int i = 0; i < length - 1; ++i) divisor *= 83;
  for (int i = 0; i < length; ++i) {
    out += kBase83[static_cast<std::size_t>((value / divisor) % 83)];
    divisor /= 83;
  }
}

// cos(pi * component * i / size) for every i, as the reference's cosf computes it per pixel.
std::vector<float> cosines(int component, int size) {
  std::vector<float> result(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) {
    result[static_cast<std::size_t>(i)] =
        std::cos(static_cast<float>(std::numbers::pi * component * i / size));
  }
  return result;
}

using Factor = std::array<float, 3>;

// One component: the same per-pixel order of float sums as the reference's
// multiplyBasisFunction, with the sRGB-to-linear values and the cosines looked up.
Factor basis_factor(const std::uint8_t* pixels, int width, int height, int channels,
                    std::size_t stride, int cx, int cy, const std::array<float, 256>& linear) {
  const std::vector<float> cos_x = cosines(cx, width);
  const std::vector<float> cos_y = cosines(cy, height);
  float r = 0;
  float g = 0;
  float b = 0;
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* row = pixels + static_cast<std::size_t>(y) * stride;
    for (int x = 0; x < width; ++x) {
      const float basis = cos_x[static_cast<std::size_t>(x)] * cos_y[static_cast<std::size_t>(y)];
      const std::uint8_t* pixel = row + static_cast<std::size_t>(x) * channels;
      r += basis * linear[pixel[0]];
      g += basis * linear[pixel[1]];
      b += basis * linear[pixel[2]];
    }
  }
  const float normalisation = (cx == 0 && cy == 0) ? 1 : 2;
  const float scale = normalisation / static_cast<float>(width * height);
  return {r * scale, g * scale, b * scale};
}

bool valid_pixels(const std::uint8_t* pixels, int width, int height, int channels,
                  std::size_t stride) {
  return pixels != nullptr && width > 0 && height > 0 && (channels == 3 || channels == 4) &&
         stride >= static_cast<std::size_t>(width) * static_cast<std::size_t>(channels);
}

}  // namespace

std::string blurhash_encode(const std::uint8_t* pixels, int width, int height, int channels,
                            std::size_t stride, int components_x, int components_y) {
  if (!valid_pixels(pixels, width, height, channels, stride) || components_x < 1 ||
      components_x > 9 || components_y < 1 || components_y > 9) {
    return {};
  }
  std::array<float, 256> linear{};
  for (int i = 0; i < 256; ++i) linear[static_cast<std::size_t>(i)] = srgb_to_linear(i);

  std::vector<Factor> factors;  // y-major, as the reference lays them out; [0] is DC
  for (int cy = 0; cy < components_y; ++cy) {
    for (int cx = 0; cx < components_x; ++cx) {
      factors.push_back(basis_factor(pixels, width, height, channels, stride, cx, cy, linear));
    }
  }

  std::string hash;
  append_base83(hash, (components_x - 1) + (components_y - 1) * 9, 1);
  float maximum = 1;
  if (factors.size() > 1) {
    float actual_maximum = 0;
    for (std::size_t i = 1; i < factors.size(); ++i) {
      for (float value : factors[i]) actual_maximum = std::fmax(std::fabs(value), actual_maximum);
    }
    const auto quantised = static_cast<int>(std::fmax(
        0.0F, std::fmin(82.0F, std::floor(static_cast<float>(actual_maximum * 166 - 0.5)))));
    maximum = (static_cast<float>(quantised) + 1) / 166;
    append_base83(hash, quantised, 1);
  } else {
    append_base83(hash, 0, 1);
  }

  const Factor& dc = factors.front();
  append_base83(
      hash, (linear_to_srgb(dc[0]) << 16) + (linear_to_srgb(dc[1]) << 8) + linear_to_srgb(dc[2]),
      4);
  for (std::size_t i = 1; i < factors.size(); ++i) {
    const Factor& ac = factors[i];
    append_base83(hash,
                  encode_ac_channel(ac[0], maximum) * 19 * 19 +
                      encode_ac_channel(ac[1], maximum) * 19 + encode_ac_channel(ac[2], maximum),
                  2);
  }
  return hash;
}

std::string dominant_colour(const std::uint8_t* pixels, int width, int height, int channels,
                            std::size_t stride) {
  struct Bin {
    std::uint64_t count = 0;
    std::array<std::uint64_t, 3> sums{};
  };
  std::vector<Bin> bins(16 * 16 * 16);
  if (valid_pixels(pixels, width, height, channels, stride)) {
    for (int y = 0; y < height; ++y) {
      const std::uint8_t* row = pixels + static_cast<std::size_t>(y) * stride;
      for (int x = 0; x < width; ++x) {
        const std::uint8_t* pixel = row + static_cast<std::size_t>(x) * channels;
        if (channels == 4 && pixel[3] < 128) continue;
        Bin& bin = bins[static_cast<std::size_t>((pixel[0] >> 4) << 8 | (pixel[1] >> 4) << 4 |
                                                 pixel[2] >> 4)];
        ++bin.count;
        for (std::size_t c = 0; c < 3; ++c) bin.sums[c] += pixel[c];
      }
    }
  }
  // max_element keeps the first of equals: ties go to the lowest r, then g, then b.
  const Bin& fullest = *std::max_element(
      bins.begin(), bins.end(), [](const Bin& a, const Bin& b) { return a.count < b.count; });
  std::array<unsigned, 3> mean{};
  if (fullest.count > 0) {
    for (std::size_t c = 0; c < 3; ++c) {
      mean[c] = static_cast<unsigned>((fullest.sums[c] + fullest.count / 2) / fullest.count);
    }
  }
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "#%02x%02x%02x", mean[0], mean[1], mean[2]);
  return text.data();
}

Placeholder placeholder_of(std::string_view encoded) {
  if (encoded.empty() || !VipsRuntime::ensure_started().ok()) return {};
  try {
    const std::optional<SmallImage> small = small_image_of(encoded);
    if (!small) return {};
    Placeholder placeholder;
    placeholder.dominant_colour = dominant_colour(small->rgba.data(), small->width, small->height,
                                                  4, static_cast<std::size_t>(small->width) * 4);
    // BlurHash has no alpha: the image over white.
    std::vector<std::uint8_t> flat;
    flat.reserve(small->rgba.size() / 4 * 3);
    for (std::size_t i = 0; i < small->rgba.size(); i += 4) {
      const unsigned alpha = small->rgba[i + 3];
      for (std::size_t c = 0; c < 3; ++c) {
        flat.push_back(static_cast<std::uint8_t>(
            (small->rgba[i + c] * alpha + 255 * (255 - alpha) + 127) / 255));
      }
    }
    placeholder.blurhash = blurhash_encode(flat.data(), small->width, small->height, 3,
                                           static_cast<std::size_t>(small->width) * 3, 4, 3);
    return placeholder;
  } catch (...) {
    // A VError (unreadable bytes) or bad_alloc: no placeholder is better than a failed resize.
    vips_error_clear();
    return {};
  }
}

}  // namespace image_resize::imaging
