#pragma once
// Deterministic, photo-like test images for the benchmark: the same seed gives the same pixels
// (and, with the same libvips, the same file bytes). Content matters for a benchmark: a flat
// colour compresses to nothing and decodes in no time, so the picture is built from what
// photographs have — smooth light gradients, fractal (Perlin) texture at several scales, hard
// object edges, a regular pattern, sensor grain — softened by a lens-like blur.
//
// Uses libvips directly, like tests/support: bench/ sits at the edge with tools/ and tests/,
// and the src/ rule "only imaging includes vips" is about the service's modules.

#include <cstdint>
#include <string>

namespace image_resize::bench {

enum class PhotoFormat { jpeg, png, webp };

struct PhotoSpec {
  int width = 1920;
  int height = 1080;
  PhotoFormat format = PhotoFormat::jpeg;
  bool alpha = false;  // an alpha band (PNG, WebP): opaque centre, soft edges, clear corners
  std::uint32_t seed = 1;
};

// The encoded file bytes: JPEG at quality 90 (a camera's), PNG at libvips' default
// compression, WebP at quality 80. Throws vips::VError when libvips fails.
std::string synthetic_photo(const PhotoSpec& spec);

}  // namespace image_resize::bench
