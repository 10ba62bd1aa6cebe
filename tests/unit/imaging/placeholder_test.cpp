// BlurHash and dominant colour: woltapp's published vector and vectors from its C encoder, edge
// cases of the encoding, the dominant colour's histogram, and placeholder_of on encoded images.
#include "imaging/placeholder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include <vips/vips8>

#include "imaging/vips_runtime.h"
#include "imaging_test_support.h"

namespace image_resize::imaging {
namespace {

struct Pixels {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<std::uint8_t> data;
  std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
};

Pixels pixels_of(const vips::VImage& image) {
  std::size_t size = 0;
  void* memory = image.write_to_memory(&size);
  const auto* bytes = static_cast<const std::uint8_t*>(memory);
  Pixels pixels{image.width(), image.height(), image.bands(), {bytes, bytes + size}};
  g_free(memory);
  return pixels;
}

// A fixture's RGB, as the reference's blurhash_encoder reads it: stbi_load(..., 3) keeps the
// first three bands and drops alpha.
Pixels rgb_fixture(const std::string& name) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  const vips::VImage image = vips::VImage::new_from_buffer(test::fixture(name), "");
  return pixels_of(image.extract_band(0, vips::VImage::option()->set("n", 3)));
}

std::string hash(const Pixels& pixels, int components_x, int components_y) {
  return blurhash_encode(pixels.data.data(), pixels.width, pixels.height, pixels.channels,
                         pixels.stride(), components_x, components_y);
}

std::string dominant(const Pixels& pixels) {
  return dominant_colour(pixels.data.data(), pixels.width, pixels.height, pixels.channels,
                         pixels.stride());
}

// width x height of one colour; `channels` 4 adds `alpha`.
Pixels solid(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b,
             int channels = 3, std::uint8_t alpha = 255) {
  Pixels pixels{width, height, channels, {}};
  for (int i = 0; i < width * height; ++i) {
    pixels.data.insert(pixels.data.end(), {r, g, b});
    if (channels == 4) pixels.data.push_back(alpha);
  }
  return pixels;
}

// Rows [from_row, height) repainted.
void paint_rows(Pixels& pixels, int from_row, const std::vector<std::uint8_t>& colour) {
  for (int y = from_row; y < pixels.height; ++y) {
    for (int x = 0; x < pixels.width; ++x) {
      for (int c = 0; c < pixels.channels; ++c) {
        pixels.data[pixels.stride() * y + static_cast<std::size_t>(x * pixels.channels + c)] =
            colour[static_cast<std::size_t>(c)];
      }
    }
  }
}

vips::VImage solid_image(int width, int height, const std::vector<double>& colour) {
  EXPECT_TRUE(VipsRuntime::ensure_started().ok());
  return (vips::VImage::black(width, height,
                              vips::VImage::option()->set("bands", static_cast<int>(colour.size())))
              .linear(std::vector<double>(colour.size(), 1.0), colour))
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// The published vector: woltapp/blurhash C/Readme.md, `./blurhash_encoder 4 3
// ../Swift/BlurHashTest/pic1.png` prints this (pic1.png copied from Swift/BlurHashTest/).
TEST(PlaceholderBlurhash, MatchesThePublishedVector) {
  EXPECT_EQ(hash(rgb_fixture("blurhash/pic1.png"), 4, 3), "LaJHjmVu8_~po#smR+a~xaoLWCRj");
}

// Not published: what the repository's own C encoder (C/encode.c + C/encode_stb.c, commit
// 0a1f978, built with gcc at -O0, -O2 and -Ofast alike) prints for other component counts.
TEST(PlaceholderBlurhash, MatchesTheReferenceEncoderForOtherComponentCounts) {
  const Pixels pic1 = rgb_fixture("blurhash/pic1.png");
  EXPECT_EQ(hash(pic1, 1, 1), "00JHjm");
  EXPECT_EQ(hash(pic1, 3, 5), "cRJHjmR700o#smR+%1oMWCxus:Rjaxozs-");
  EXPECT_EQ(hash(pic1, 8, 8),
            ":aJHjmVu8_~pXA8_R%f+o#smR+a~tRRjoeNGxaoLWCRjxtt7Rjoct8ofRjWYRjjZjcafaxofoda~j]oLo1t7"
            "oet7ayoeWDa#jtWEWVWXayWCs:jZWAaft6t6j[ayR*V[oKs:");
}

TEST(PlaceholderBlurhash, IgnoresAFourthChannelAndHonoursTheStride) {
  const Pixels rgb = rgb_fixture("blurhash/pic1.png");
  Pixels padded{rgb.width, rgb.height, 4, {}};
  for (std::size_t i = 0; i < rgb.data.size(); i += 3) {
    padded.data.insert(padded.data.end(), {rgb.data[i], rgb.data[i + 1], rgb.data[i + 2], 7});
  }
  EXPECT_EQ(hash(padded, 4, 3), "LaJHjmVu8_~po#smR+a~xaoLWCRj");

  // Rows 5 bytes longer than the pixels, the padding garbage.
  std::vector<std::uint8_t> strided;
  for (int y = 0; y < rgb.height; ++y) {
    const auto row = rgb.data.begin() + static_cast<std::ptrdiff_t>(rgb.stride() * y);
    strided.insert(strided.end(), row, row + static_cast<std::ptrdiff_t>(rgb.stride()));
    strided.insert(strided.end(), {1, 2, 3, 4, 5});
  }
  EXPECT_EQ(blurhash_encode(strided.data(), rgb.width, rgb.height, 3, rgb.stride() + 5, 4, 3),
            "LaJHjmVu8_~po#smR+a~xaoLWCRj");
}

// Base83 at its ends: digit 0 everywhere for black, '|' (80) for the 9x9 size flag, '~' (82)
// for the largest maximum AC, the largest DC (white, 0xffffff = "TSUA"), and 'fQ'
// (3429 = 9*19*19 + 9*19 + 9) for an AC that quantises to zero.
TEST(PlaceholderBlurhash, EncodesBase83Edges) {
  EXPECT_EQ(hash(solid(10, 10, 0, 0, 0), 1, 1), "000000");
  EXPECT_EQ(hash(solid(10, 10, 255, 255, 255), 1, 1), "00TSUA");
  const std::string nine = hash(solid(1, 1, 255, 255, 255), 9, 9);
  ASSERT_EQ(nine.size(), 2U + 4U + 80U * 2U);
  // One pixel: every basis is cos(0), so each AC is 2 * DC and the maximum is the top digit.
  EXPECT_EQ(nine.substr(0, 6), "|~TSUA");
  // From the reference encoder (8 is its command line's limit): a white 10x10 at 8x8.
  EXPECT_EQ(hash(solid(10, 10, 255, 255, 255), 8, 8),
            ":WTSUA~qfQ~qfQ~qfQ~q~qt7fQt7fQt7fQt7fQfQfQfQfQfQfQfQ~qt7fQt7fQt7fQt7fQfQfQfQfQfQfQfQ~"
            "qt7fQt7fQt7fQt7fQfQfQfQfQfQfQfQ~qt7fQt7fQt7fQt7");
}

TEST(PlaceholderBlurhash, RejectsArgumentsOutOfRange) {
  const Pixels pixels = solid(4, 4, 1, 2, 3);
  EXPECT_EQ(hash(pixels, 0, 3), "");
  EXPECT_EQ(hash(pixels, 4, 10), "");
  EXPECT_EQ(blurhash_encode(nullptr, 4, 4, 3, 12, 4, 3), "");
  EXPECT_EQ(blurhash_encode(pixels.data.data(), 4, 4, 2, 12, 4, 3), "");
  EXPECT_EQ(blurhash_encode(pixels.data.data(), 4, 4, 3, 11, 4, 3), "");  // stride too short
}

// One colour: the DC is the colour. The AC is not zero, though: the reference's odd cosines
// (half periods over the image) sum to 1 across it, not 0, so a solid 40x30 still has AC of
// about 2 * linear / width. Expected string from the reference encoder on this image as a PNG.
TEST(PlaceholderBlurhash, SolidColourHasTheColourAsDc) {
  const Pixels pixels = solid(40, 30, 0x33, 0x66, 0x99);
  EXPECT_EQ(hash(pixels, 1, 1), "005?}k");  // 0x336699 = 3368601 = 5 73 81 46 in base 83
  EXPECT_EQ(hash(pixels, 4, 3), "L35?}kpKfQpKtofkfQfkfQfQfQfQ");
}

TEST(PlaceholderDominantColour, SolidColourIsThatColour) {
  EXPECT_EQ(dominant(solid(40, 30, 0x33, 0x66, 0x99)), "#336699");
  EXPECT_EQ(dominant(solid(3, 3, 0xfe, 0x0a, 0xc1, 4, 200)), "#fe0ac1");
}

TEST(PlaceholderDominantColour, MostCommonColourWins) {
  Pixels pixels = solid(20, 20, 255, 0, 0);  // the top three quarters red
  paint_rows(pixels, 15, {0, 0, 255});       // the bottom quarter blue
  EXPECT_EQ(dominant(pixels), "#ff0000");
  paint_rows(pixels, 5, {0, 0, 255});  // now the bottom three quarters
  EXPECT_EQ(dominant(pixels), "#0000ff");
}

TEST(PlaceholderDominantColour, MeanOfTheFullestBin) {
  Pixels pixels = solid(10, 10, 0x30, 0x60, 0x90);  // half of one bin
  paint_rows(pixels, 5, {0x3f, 0x6f, 0x9f});        // the other half of it
  EXPECT_EQ(dominant(pixels), "#386898");           // (0x30 + 0x3f) / 2 = 0x37.8, rounded
}

TEST(PlaceholderDominantColour, IgnoresAlphaBelowHalf) {
  Pixels pixels = solid(20, 20, 255, 0, 0, 4, 127);  // three quarters red, but transparent
  paint_rows(pixels, 15, {0, 0, 255, 128});
  EXPECT_EQ(dominant(pixels), "#0000ff");
  EXPECT_EQ(dominant(solid(5, 5, 255, 255, 255, 4, 0)), "#000000");
}

TEST(PlaceholderOf, ReadsAJpeg) {
  const Placeholder placeholder =
      placeholder_of(test::to_jpeg(solid_image(64, 48, {51, 102, 153})));
  EXPECT_EQ(placeholder.blurhash.size(), 28U);
  EXPECT_EQ(placeholder.blurhash.substr(0, 1), "L");  // 4x3
  // JPEG may move a flat colour by a level.
  ASSERT_EQ(placeholder.dominant_colour.size(), 7U);
  unsigned r = 0;
  unsigned g = 0;
  unsigned b = 0;
  ASSERT_EQ(std::sscanf(placeholder.dominant_colour.c_str(), "#%2x%2x%2x", &r, &g, &b), 3);
  EXPECT_NEAR(r, 51, 2);
  EXPECT_NEAR(g, 102, 2);
  EXPECT_NEAR(b, 153, 2);
}

TEST(PlaceholderOf, ReadsAPngWithAlpha) {
  const Placeholder opaque = placeholder_of(test::to_png(solid_image(64, 48, {51, 102, 153})));
  EXPECT_EQ(opaque.blurhash.size(), 28U);
  EXPECT_EQ(opaque.blurhash.substr(2, 4), "5?}k");  // the DC: 0x336699
  EXPECT_EQ(opaque.dominant_colour, "#336699");

  // Transparent red: ignored by the dominant colour, white under the BlurHash.
  const vips::VImage red = solid_image(64, 48, {255, 0, 0, 0});
  const vips::VImage blue = solid_image(64, 16, {0, 0, 255, 255});
  const Placeholder mixed = placeholder_of(test::to_png(red.insert(blue, 0, 32)));
  EXPECT_EQ(mixed.dominant_colour, "#0000ff");
  EXPECT_EQ(mixed.blurhash.size(), 28U);
  const Placeholder white = placeholder_of(test::to_png(solid_image(64, 48, {255, 0, 0, 0})));
  EXPECT_EQ(white.blurhash.substr(2, 4), "TSUA");  // flattened over white
  EXPECT_EQ(white.dominant_colour, "#000000");
}

// CMYK, 16-bit and grey all become 8-bit sRGB first.
TEST(PlaceholderOf, ReadsOtherColourSpaces) {
  for (const char* name : {"cmyk.jpg", "rgb16.png", "animated.gif", "photo.webp"}) {
    const Placeholder placeholder = placeholder_of(test::fixture(name));
    EXPECT_EQ(placeholder.blurhash.size(), 28U) << name;
    EXPECT_EQ(placeholder.dominant_colour.size(), 7U) << name;
  }
  const vips::VImage grey =
      solid_image(40, 40, {200})
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  const Placeholder placeholder = placeholder_of(test::to_png(grey));
  EXPECT_EQ(placeholder.dominant_colour, "#c8c8c8");
  EXPECT_EQ(placeholder.blurhash.size(), 28U);
}

TEST(PlaceholderOf, GarbageGivesEmptyStrings) {
  EXPECT_EQ(placeholder_of("not an image at all"), Placeholder{});
  EXPECT_EQ(placeholder_of(""), Placeholder{});
  EXPECT_EQ(placeholder_of(test::fixture("random.bin")), Placeholder{});
}

double milliseconds_per_call(const std::string& encoded) {
  constexpr int kRuns = 20;
  Placeholder placeholder;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRuns; ++i) placeholder = placeholder_of(encoded);
  const std::chrono::duration<double, std::milli> elapsed =
      std::chrono::steady_clock::now() - start;
  EXPECT_EQ(placeholder.blurhash.size(), 28U);
  return elapsed.count() / kRuns;
}

// No assertion on time: printed for the record. Noise is the worst case for the JPEG decoder
// (every coefficient set); the photo fixture enlarged is a smooth, more usual one.
TEST(PlaceholderOf, TimeOnAn800x600Jpeg) {
  ASSERT_TRUE(VipsRuntime::ensure_started().ok());
  const std::string photo =
      test::to_jpeg(vips::VImage::new_from_buffer(test::fixture("photo.jpg"), "")
                        .resize(800.0 / 300, vips::VImage::option()->set("vscale", 600.0 / 200)));
  std::printf("placeholder_of, 800x600 JPEG of a photo (%zu bytes): %.2f ms per call\n",
              photo.size(), milliseconds_per_call(photo));
  const std::string thumbnail =
      test::to_jpeg(vips::VImage::new_from_buffer(test::fixture("photo.jpg"), "")
                        .resize(100.0 / 300, vips::VImage::option()->set("vscale", 100.0 / 200)));
  std::printf("placeholder_of, 100x100 JPEG of a photo (%zu bytes): %.2f ms per call\n",
              thumbnail.size(), milliseconds_per_call(thumbnail));
  const vips::VImage noise = vips::VImage::gaussnoise(
      800, 600, vips::VImage::option()->set("mean", 128)->set("sigma", 40));
  const std::string jpeg = test::to_jpeg(
      vips::VImage::bandjoin({noise, noise.rot180(), noise.flip(VIPS_DIRECTION_HORIZONTAL)})
          .cast(VIPS_FORMAT_UCHAR)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)));
  std::printf("placeholder_of, 800x600 JPEG of noise (%zu bytes): %.2f ms per call\n", jpeg.size(),
              milliseconds_per_call(jpeg));
}

}  // namespace
}  // namespace image_resize::imaging
