#include "synthetic_photo.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vips/vips8>

namespace image_resize::bench {
namespace {

using vips::VImage;

void ensure_vips() {
  static std::once_flag once;
  std::call_once(once, [] { vips_init("image-resize-bench"); });
}

// Smooth noise in about -1..1 with features of `cell` pixels.
VImage perlin(int width, int height, int cell, int seed) {
  return VImage::perlin(width, height,
                        VImage::option()->set("cell_size", std::max(cell, 2))->set("seed", seed));
}

// Zero-mean Gaussian noise, in 0..255 units.
VImage grain(int width, int height, double sigma, int seed) {
  return VImage::gaussnoise(
      width, height, VImage::option()->set("sigma", sigma)->set("mean", 0.0)->set("seed", seed));
}

const char* suffix_of(const PhotoSpec& spec) {
  switch (spec.format) {
    // 4:2:0 chroma, as phones and most cameras write.
    case PhotoFormat::jpeg: return ".jpg[Q=90,subsample-mode=on,strip]";
    case PhotoFormat::png: return ".png[strip]";
    case PhotoFormat::webp: return ".webp[Q=80,strip]";
  }
  return ".png";
}

}  // namespace

std::string synthetic_photo(const PhotoSpec& spec) {
  ensure_vips();
  const int w = spec.width;
  const int h = spec.height;
  const int side = std::max(w, h);
  const int seed = static_cast<int>(spec.seed);
  // Every scale is relative to the image, so each size shows the same scene.
  const VImage xy = VImage::xyz(w, h);
  const VImage fx = xy[0] / static_cast<double>(w);  // 0..1 left to right
  const VImage fy = xy[1] / static_cast<double>(h);  // 0..1 top to bottom

  // Light and shade at scene scale, then detail down to a few pixels (foliage, stone, fabric)
  // as a camera resolves it whatever the image size: faint at the top (sky), strong below.
  const VImage fine = perlin(w, h, 16, seed + 7) * 0.6 + perlin(w, h, 5, seed + 8) * 0.5 +
                      perlin(w, h, 2, seed + 9) * 0.2;
  const VImage texture = perlin(w, h, side / 3, seed) * 0.45 +
                         perlin(w, h, side / 12, seed + 1) * 0.25 +
                         perlin(w, h, side / 48, seed + 2) * 0.15 + fine * (fy * 0.9 + 0.1);
  // Blobs with hard edges: a coarse noise field cut at a threshold (0 or 1).
  const VImage objects = (perlin(w, h, side / 5, seed + 3) > 0.12) / 255.0;
  // Stripes on the objects, like fabric or a facade: a regular pattern JPEG has to keep.
  const double period = std::max(side / 90.0, 3.0);
  const VImage stripes = ((xy[0] * 0.8 + xy[1] * 0.6) * (360.0 / period)).sin() * objects;

  // Sky-like light at the top, warmer ground at the bottom.
  const VImage red =
      (fy * -0.25 + fx * 0.15 + 0.55 + texture * 0.22 + objects * 0.18 + stripes * 0.05) * 255.0 +
      grain(w, h, 7.0, seed + 4);
  const VImage green = (fy * -0.1 + 0.5 + texture * 0.2 + objects * 0.05 + stripes * 0.05) * 255.0 +
                       grain(w, h, 7.0, seed + 5);
  const VImage blue = (fy * -0.45 + 0.7 + texture * 0.15 - objects * 0.2 + stripes * 0.05) * 255.0 +
                      grain(w, h, 7.0, seed + 6);
  // A slight blur, as a lens and demosaicing give: grain and edges stop being single pixels.
  VImage image = VImage::bandjoin({red, green, blue}).gaussblur(0.8);
  if (spec.alpha) {
    const VImage dx = fx - 0.5;
    const VImage dy = fy - 0.5;
    const VImage distance = (dx * dx + dy * dy).pow(0.5) * 2.0;  // 0 centre, 1.41 corners
    image = image.bandjoin((distance * -1.5 + 1.6 + texture * 0.3) * 255.0);
  }
  image = image
              .cast(VIPS_FORMAT_UCHAR)  // clips to 0..255
              .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));

  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(suffix_of(spec), &buffer, &size);
  const std::unique_ptr<void, decltype(&g_free)> owned(buffer, &g_free);
  return {static_cast<const char*>(buffer), size};
}

}  // namespace image_resize::bench
