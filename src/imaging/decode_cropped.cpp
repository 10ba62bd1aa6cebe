#include "imaging/decode_cropped.h"

#include <algorithm>
#include <cmath>

#include "imaging/frames.h"
#include "imaging/limits_checker.h"
#include "imaging/vips_blob.h"

namespace image_resize::imaging {
namespace {

// `start` and `length` moved and narrowed to lie within [0, limit).
void keep_inside(int& start, int& length, int limit) {
  length = std::clamp(length, 1, std::max(1, limit));
  start = std::clamp(start, 0, std::max(0, limit - length));
}

int divided(int value, int shrink) {
  return static_cast<int>(std::lround(static_cast<double>(value) / shrink));
}

// The input's first frame (every frame when keep_animation), as stored: JPEG shrunk in the DCT
// by `shrink`. Sequential, as the uncropped path reads; fail_on=error so that truncated or
// corrupt data fails when its pixels are read instead of decoding to grey.
vips::VImage load(const Context& context, int shrink) {
  if (context.source.format == core::ImageFormat::jpeg) {
    // The blob borrows the bytes: context.input outlives the pipeline.
    const VipsBlobPtr blob(vips_blob_new(nullptr, context.input.data(), context.input.size()));
    return vips::VImage::jpegload_buffer(blob.get(), vips::VImage::option()
                                                         ->set("shrink", shrink)
                                                         ->set("fail_on", VIPS_FAIL_ON_ERROR)
                                                         ->set("access", VIPS_ACCESS_SEQUENTIAL));
  }
  vips::VOption* options = vips::VImage::option()
                               ->set("fail_on", VIPS_FAIL_ON_ERROR)
                               ->set("access", VIPS_ACCESS_SEQUENTIAL);
  if (context.keep_animation) options->set("n", -1);  // only gif and webp keep an animation
  return vips::VImage::new_from_buffer(context.input.data(), context.input.size(), "", options);
}

// One frame as stored: `stored` cut out, then what thumbnail does with a loaded image, as the
// uncropped path has it do: lanczos3 resize (premultiplied when there is alpha) to exactly the
// planned size, colour management only through an embedded non-sRGB profile, and the turn by
// EXIF orientation last, on the smaller image (thumbnail swaps the target for orientations 5..8).
vips::VImage crop_and_resize(const vips::VImage& frame, const core::CropRect& stored,
                             const Context& context) {
  // A private copy before changing metadata: operation results may be shared by libvips' cache.
  vips::VImage cropped = frame.extract_area(stored.x, stored.y, stored.width, stored.height).copy();
  // One frame now, whatever the loaded image said; and the orientation the crop was mapped with.
  cropped.remove(VIPS_META_PAGE_HEIGHT);
  cropped.remove(VIPS_META_N_PAGES);
  cropped.set(VIPS_META_ORIENTATION, context.source.orientation);
  vips::VOption* options = vips::VImage::option();
  if (context.source.needs_colour_management()) options->set("export_profile", "srgb");
  options->set("height", context.geometry.scaled_height)->set("size", VIPS_SIZE_FORCE);
  return cropped.thumbnail_image(context.geometry.scaled_width, options);
}

}  // namespace

int jpeg_crop_shrink(const core::CropRect& crop, const Geometry& geometry) {
  const double factor =
      std::min(static_cast<double>(crop.width) / std::max(1, geometry.scaled_width),
               static_cast<double>(crop.height) / std::max(1, geometry.scaled_height));
  for (int shrink : {8, 4, 2}) {
    if (factor >= shrink) return shrink;
  }
  return 1;
}

core::CropRect shrink_crop(const core::CropRect& crop, int shrink, int upright_width,
                           int upright_height) {
  core::CropRect shrunk{divided(crop.x, shrink), divided(crop.y, shrink),
                        divided(crop.width, shrink), divided(crop.height, shrink)};
  keep_inside(shrunk.x, shrunk.width, upright_width);
  keep_inside(shrunk.y, shrunk.height, upright_height);
  return shrunk;
}

core::CropRect stored_crop(const core::CropRect& upright, int orientation, int stored_width,
                           int stored_height) {
  const core::CropRect& u = upright;
  const int right = stored_width - (u.x + u.width);  // the margins, for the mirrored sides
  const int bottom = stored_height - (u.y + u.height);
  // For 5..8 the upright x runs along the stored y and the upright y along the stored x.
  const int right_turned = stored_width - (u.y + u.height);
  const int bottom_turned = stored_height - (u.x + u.width);
  switch (orientation) {
    case 2: return {right, u.y, u.width, u.height};                   // mirrored left-right
    case 3: return {right, bottom, u.width, u.height};                // turned 180°
    case 4: return {u.x, bottom, u.width, u.height};                  // mirrored top-bottom
    case 5: return {u.y, u.x, u.height, u.width};                     // transposed
    case 6: return {u.y, bottom_turned, u.height, u.width};           // turned 90° clockwise
    case 7: return {right_turned, bottom_turned, u.height, u.width};  // transversed
    case 8: return {right_turned, u.x, u.height, u.width};            // turned 90° anticlockwise
    default: return u;
  }
}

core::Status decode_cropped(Context& context) {
  const SourceInfo& source = context.source;
  const core::CropRect& crop = *context.spec.crop;
  const int shrink =
      source.format == core::ImageFormat::jpeg ? jpeg_crop_shrink(crop, context.geometry) : 1;
  const vips::VImage loaded = load(context, shrink);
  if (context.keep_animation) {
    // The header's frame count was checked already; check what was actually loaded, too.
    core::Status within_limits =
        LimitsChecker(context.limits).check_input(source.width, source.height, frame_count(loaded));
    if (!within_limits.ok()) return within_limits;
  }
  // As loaded, which for a JPEG is its size divided by `shrink` and rounded up.
  const int stored_width = loaded.width();
  const int stored_height = context.keep_animation ? frame_height(loaded) : loaded.height();
  const bool turned = source.turned_by_orientation();
  const core::CropRect upright = shrink_crop(crop, shrink, turned ? stored_height : stored_width,
                                             turned ? stored_width : stored_height);
  const core::CropRect stored =
      stored_crop(upright, source.orientation, stored_width, stored_height);
  if (!context.keep_animation) {
    context.image = crop_and_resize(loaded, stored, context);
    return {};
  }
  context.image = map_frames(
      loaded, [&](const vips::VImage& frame) { return crop_and_resize(frame, stored, context); });
  return {};
}

}  // namespace image_resize::imaging
