#include "support/image_similarity.h"

#include <bit>
#include <mutex>
#include <vector>
#include <vips/vips8>

namespace image_resize::testing {
namespace {

constexpr std::size_t kGrid = 9;  // 9 samples give 8 differences per row and per column

void ensure_vips() {
  static std::once_flag once;
  std::call_once(once, [] { vips_init("image-resize-tests"); });
}

// The image as kGrid × kGrid grey levels, row by row.
std::vector<unsigned char> grey_grid(std::string_view image_bytes) {
  vips::VImage image = vips::VImage::new_from_buffer(image_bytes.data(), image_bytes.size(), "");
  const int frame_height = vips_image_get_page_height(image.get_image());
  if (frame_height < image.height()) image = image.extract_area(0, 0, image.width(), frame_height);
  if (image.has_alpha()) {
    image = image.flatten(
        vips::VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  }
  image = image
              .thumbnail_image(static_cast<int>(kGrid), vips::VImage::option()
                                                            ->set("height", static_cast<int>(kGrid))
                                                            ->set("size", VIPS_SIZE_FORCE))
              .colourspace(VIPS_INTERPRETATION_B_W)
              .extract_band(0)
              .cast(VIPS_FORMAT_UCHAR);
  std::size_t size = 0;
  void* raw = image.write_to_memory(&size);
  const auto* first = static_cast<const unsigned char*>(raw);
  std::vector<unsigned char> grid(first, first + size);
  g_free(raw);
  return grid;
}

}  // namespace

std::optional<DHash> dhash(std::string_view image_bytes) {
  ensure_vips();
  std::vector<unsigned char> grid;
  try {
    grid = grey_grid(image_bytes);
  } catch (const vips::VError&) {
    vips_error_clear();
    return std::nullopt;
  }
  if (grid.size() != kGrid * kGrid) return std::nullopt;
  const auto at = [&](std::size_t x, std::size_t y) { return grid[y * kGrid + x]; };
  DHash hash;
  for (std::size_t i = 0; i + 1 < kGrid; ++i) {
    for (std::size_t j = 0; j + 1 < kGrid; ++j) {
      hash.rows = (hash.rows << 1) | (at(j, i) < at(j + 1, i) ? 1U : 0U);
      hash.columns = (hash.columns << 1) | (at(i, j) < at(i, j + 1) ? 1U : 0U);
    }
  }
  return hash;
}

int image_distance(std::string_view a_bytes, std::string_view b_bytes) {
  const std::optional<DHash> a = dhash(a_bytes);
  const std::optional<DHash> b = dhash(b_bytes);
  if (!a || !b) return -1;
  return std::popcount(a->rows ^ b->rows) + std::popcount(a->columns ^ b->columns);
}

::testing::AssertionResult images_similar(std::string_view a_bytes, std::string_view b_bytes,
                                          int max_hamming_distance) {
  const int distance = image_distance(a_bytes, b_bytes);
  if (distance < 0) return ::testing::AssertionFailure() << "an image could not be decoded";
  if (distance > max_hamming_distance) {
    return ::testing::AssertionFailure()
           << "dHash distance " << distance << " > " << max_hamming_distance;
  }
  return ::testing::AssertionSuccess() << "dHash distance " << distance;
}

}  // namespace image_resize::testing
