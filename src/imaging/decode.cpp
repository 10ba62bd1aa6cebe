#include "imaging/decode.h"

#include <algorithm>
#include <optional>

#include "imaging/decode_cropped.h"
#include "imaging/format_detection.h"
#include "imaging/format_support.h"
#include "imaging/frames.h"
#include "imaging/jpeg_direct.h"
#include "imaging/limits_checker.h"
#include "imaging/png_direct.h"
#include "imaging/srgb_profile.h"
#include "imaging/vips_blob.h"
#include "imaging/vips_error.h"
#include "imaging/webp_direct.h"

namespace image_resize::imaging {
namespace {

SourceInfo read_header(std::string_view bytes, core::ImageFormat format) {
  // Sequential access: libvips reads the header now and decodes nothing until pixels are asked
  // for, which they never are here.
  const vips::VImage header =
      vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                    vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  SourceInfo info;
  info.format = format;
  info.width = header.width();
  info.height = vips_image_get_page_height(header.get_image());
  if (supports_animation(format)) info.frames = vips_image_get_n_pages(header.get_image());
  info.has_icc_profile = header.get_typeof(VIPS_META_ICC_NAME) != 0;
  if (info.has_icc_profile) {
    std::size_t size = 0;
    const void* profile = header.get_blob(VIPS_META_ICC_NAME, &size);
    info.srgb_profile = is_srgb_profile(profile, size);
  }
  info.has_alpha = header.has_alpha();
  // jpegload and pngload set it for progressive JPEG and Adam7 PNG.
  info.interlaced = header.get_typeof("interlaced") != 0 && header.get_int("interlaced") != 0;
  if (header.get_typeof(VIPS_META_ORIENTATION) != 0) {
    info.orientation = header.get_int(VIPS_META_ORIENTATION);
  }
  return info;
}

struct StoredSize {
  int width = 0;
  int height = 0;
};

// The planned size before the turn by EXIF orientation.
StoredSize planned_size_as_stored(const Context& context) {
  const Geometry& geometry = context.geometry;
  if (context.source.turned_by_orientation()) {
    return {geometry.scaled_height, geometry.scaled_width};
  }
  return {geometry.scaled_width, geometry.scaled_height};
}

// What thumbnail does with a loaded image: resize's lanczos3 (its default gap too) to exactly
// the planned size, and the turn by EXIF orientation last, on the smaller image.
vips::VImage resize_and_turn(const vips::VImage& image, const Context& context) {
  const SourceInfo& source = context.source;
  const auto [width, height] = planned_size_as_stored(context);
  vips::VImage resized = image.resize(
      static_cast<double>(width) / image.width(),
      vips::VImage::option()->set("vscale", static_cast<double>(height) / image.height()));
  if (source.orientation == 1) return resized;
  resized.set(VIPS_META_ORIENTATION, source.orientation);
  return resized.autorot();
}

// A still WebP decoded and scaled by libwebp as thumbnail has webpload do it, then resized as
// thumbnail would: alpha premultiplied in float, and only when both sides change, as thumbnail
// does.
std::optional<vips::VImage> decode_webp(const Context& context) {
  const auto [width, height] = planned_size_as_stored(context);
  const WebpScaledSize size =
      webp_shrink_on_load(context.source.width, context.source.height, width, height);
  std::optional<vips::VImage> image = decode_webp_directly(context.input, size);
  if (!image) return std::nullopt;
  const bool premultiply = image->has_alpha() && size.width != width && size.height != height;
  if (!premultiply) return resize_and_turn(*image, context);
  return resize_and_turn(image->premultiply(), context).unpremultiply().cast(VIPS_FORMAT_UCHAR);
}

// A JPEG, PNG or still WebP with no colour profile, or an sRGB one, decoded by
// decode_jpeg_directly, decode_png_directly or decode_webp_directly, then resized as thumbnail
// would. PNG alpha is resized premultiplied, as thumbnail does, but premultiplied in 8 bits
// (thumbnail's float costs a third of a PNG task). nullopt where the direct decoders decline;
// another profile needs thumbnail's colour management.
std::optional<vips::VImage> decode_directly(const Context& context, int shrink) {
  if (context.source.needs_colour_management()) return std::nullopt;
  if (context.source.format == core::ImageFormat::webp) return decode_webp(context);
  if (context.source.format == core::ImageFormat::jpeg) {
    std::optional<vips::VImage> image = decode_jpeg_directly(context.input, shrink);
    if (!image) return std::nullopt;
    return resize_and_turn(*image, context);
  }
  if (context.source.format != core::ImageFormat::png) return std::nullopt;
  std::optional<vips::VImage> image = decode_png_directly(context.input, true);
  if (!image) return std::nullopt;
  if (!image->has_alpha()) return resize_and_turn(*image, context);
  return resize_and_turn(*image, context).unpremultiply().cast(VIPS_FORMAT_UCHAR);
}

}  // namespace

core::Result<SourceInfo> read_source_info(std::string_view bytes, const core::Limits& limits) {
  core::Result<core::ImageFormat> format = detect_format(bytes);
  if (!format.ok()) return format.error();
  SourceInfo info;
  try {
    info = read_header(bytes, *format);
  } catch (...) {
    return translate_current_exception(core::ErrorCode::decode_failed, "read_source_info");
  }
  const LimitsChecker checker(limits);
  core::Status within_limits = checker.check_input(info.width, info.height, info.frames);
  if (within_limits.ok() && info.interlaced) {
    within_limits = checker.check_interlaced(info.width, info.height, info.format);
  }
  if (!within_limits.ok()) return within_limits.error();
  return info;
}

int jpeg_shrink_on_load(const SourceInfo& source, const Geometry& geometry) {
  const double factor =
      std::min(static_cast<double>(source.upright_width()) / geometry.scaled_width,
               static_cast<double>(source.upright_height()) / geometry.scaled_height);
  for (int shrink : {8, 4, 2}) {
    if (factor >= shrink) return shrink;
  }
  return 1;
}

core::Status decode(Context& context) {
  // A crop takes its own path, through libvips' loaders for every format.
  if (context.spec.crop) return decode_cropped(context);
  const Geometry& geometry = context.geometry;
  const bool jpeg = context.source.format == core::ImageFormat::jpeg;
  // Our own shrink-on-load for JPEG (see jpeg_shrink_on_load).
  const int shrink = jpeg ? jpeg_shrink_on_load(context.source, geometry) : 1;
  if (auto direct = decode_directly(context, shrink)) {
    context.image = *direct;
    return {};
  }
  // The blob borrows the bytes (no copy, no free function): context.input outlives the pipeline.
  const VipsBlobPtr blob(vips_blob_new(nullptr, context.input.data(), context.input.size()));
  vips::VOption* options = vips::VImage::option();
  if (context.source.needs_colour_management()) {
    // Colour-manage with the embedded profile. Only then: for an image without one, or with an
    // sRGB one, libvips would round-trip sRGB through lcms and shift colours for nothing. CMYK
    // without a profile gets libvips' built-in CMYK profile either way.
    options->set("export_profile", "srgb");
  }
  options->set("height", geometry.scaled_height)
      ->set("size", VIPS_SIZE_FORCE);  // exactly the planned size; geometry kept the aspect
  if (jpeg) {
    // thumbnail's lanczos3 reduce, colour management and auto-rotation on what was loaded.
    const vips::VImage loaded =
        vips::VImage::jpegload_buffer(blob.get(), vips::VImage::option()
                                                      ->set("shrink", shrink)
                                                      ->set("fail_on", VIPS_FAIL_ON_ERROR)
                                                      ->set("access", VIPS_ACCESS_SEQUENTIAL));
    context.image = loaded.thumbnail_image(geometry.scaled_width, options);
    return {};
  }
  context.image = vips::VImage::thumbnail_buffer(
      blob.get(), geometry.scaled_width,
      // Truncated or corrupt data fails instead of decoding to grey. libvips 8.14's
      // thumbnail_buffer does not hand its own fail_on to the loader, so the loader's option
      // string says it too.
      options->set("fail_on", VIPS_FAIL_ON_ERROR)
          ->set("option_string", context.keep_animation ? "fail_on=error,n=-1" : "fail_on=error"));
  if (!context.keep_animation) return {};
  // The header's frame count was checked already; check what was actually loaded, too.
  return LimitsChecker(context.limits)
      .check_input(context.source.width, context.source.height, frame_count(context.image));
}

}  // namespace image_resize::imaging
