#pragma once
// Perceptual image comparison for tests (after weserv's test/api/similar_image.h): a difference
// hash (dHash) of each image, compared by Hamming distance. Survives re-encoding, scaling and
// mild colour shifts; a rotation, a mirror, a different crop or different content changes many
// bits. The hash has both directions, rows (is each pixel darker than its right neighbour?) and
// columns (than the one below?): on images made of smooth gradients, a row hash alone cannot
// tell a 90° turn, since turning a left-to-right gradient gives a top-to-bottom one.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace image_resize::testing {

struct DHash {
  std::uint64_t rows = 0;     // 8 rows × 8 left-right comparisons
  std::uint64_t columns = 0;  // 8 columns × 8 top-bottom comparisons
};

// dHash of an encoded image (any format libvips reads; the first frame of an animation;
// transparency composited onto white; as displayed, so EXIF orientation is applied).
// nullopt when the bytes cannot be decoded.
std::optional<DHash> dhash(std::string_view image_bytes);

// Number of differing hash bits, 0..128; -1 when either image cannot be decoded.
int image_distance(std::string_view a_bytes, std::string_view b_bytes);

// Success when the distance is at most `max_hamming_distance`; the message gives the distance.
// Re-encodings of one picture measure 0..5 here; a 90° turn or a mirror of it, about 60.
// Use as EXPECT_TRUE(images_similar(a, b)).
::testing::AssertionResult images_similar(std::string_view a_bytes, std::string_view b_bytes,
                                          int max_hamming_distance = 6);

}  // namespace image_resize::testing
