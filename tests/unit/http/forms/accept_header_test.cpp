// format=auto's reading of the Accept header: what real browsers send, q-values, wildcards.
#include "http/forms/accept_header.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

using core::AcceptedFormats;

TEST(AcceptedImageFormats, WhatBrowsersSendForImages) {
  // Chrome 120 and Firefox 120 for an <img>; Safari 16 (no AVIF in its Accept header).
  EXPECT_EQ(
      accepted_image_formats("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"),
      (AcceptedFormats{.avif = true, .webp = true}));
  EXPECT_EQ(accepted_image_formats("image/avif,image/webp,*/*"),
            (AcceptedFormats{.avif = true, .webp = true}));
  EXPECT_EQ(accepted_image_formats("image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,"
                                   "video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"),
            (AcceptedFormats{.avif = true, .webp = true}));
  EXPECT_EQ(accepted_image_formats("image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"),
            (AcceptedFormats{.webp = true}));
}

TEST(AcceptedImageFormats, WildcardsAndNothingPromiseNothing) {
  EXPECT_EQ(accepted_image_formats(""), AcceptedFormats{});
  EXPECT_EQ(accepted_image_formats("*/*"), AcceptedFormats{});
  EXPECT_EQ(accepted_image_formats("image/*"), AcceptedFormats{});
  EXPECT_EQ(accepted_image_formats("application/json"), AcceptedFormats{});
}

TEST(AcceptedImageFormats, QualityZeroRefusesAndCaseDoesNotMatter) {
  EXPECT_EQ(accepted_image_formats("image/avif;q=0, image/webp;q=0.5"),
            (AcceptedFormats{.webp = true}));
  EXPECT_EQ(accepted_image_formats("IMAGE/AVIF ; Q=1 , Image/WebP"),
            (AcceptedFormats{.avif = true, .webp = true}));
  EXPECT_EQ(accepted_image_formats("image/avif;q=0.000"), AcceptedFormats{});
}

TEST(AcceptedImageFormats, MalformedItemsAreSkipped) {
  EXPECT_EQ(accepted_image_formats("image/avif;q=abc, image/webp"),
            (AcceptedFormats{.webp = true}));
  EXPECT_EQ(accepted_image_formats(",, ;q=1, image/avif"), (AcceptedFormats{.avif = true}));
  EXPECT_EQ(accepted_image_formats("image/avifx, ximage/webp"), AcceptedFormats{});
}

}  // namespace
}  // namespace image_resize::http
