#include "bare_libvips.h"

#include <vips/vips8>

#include "imaging/decode.h"
#include "imaging/vips_image_processor.h"

namespace image_resize::bench {
namespace {

core::Error unsupported(std::string detail) {
  return core::Error::make(core::ErrorCode::unsupported_image,
                           "The floor resizes JPEG to JPEG at a given width and height only.",
                           std::move(detail));
}

// The largest power of two that keeps the target size: the service's own rule, which is the
// floor's definition too.
int power_of_two_shrink(const vips::VImage& header, int width, int height) {
  imaging::SourceInfo source;
  source.width = header.width();
  source.height = header.height();
  return imaging::jpeg_shrink_on_load(
      source, imaging::Geometry{.scaled_width = width, .scaled_height = height});
}

imaging::ResizedImage bare_resize(std::string_view bytes, int width, int height, int quality) {
  const vips::VImage header =
      vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                    vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  const vips::VImage loaded =
      vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                    vips::VImage::option()
                                        ->set("shrink", power_of_two_shrink(header, width, height))
                                        ->set("access", VIPS_ACCESS_SEQUENTIAL));
  const vips::VImage resized = loaded.resize(
      static_cast<double>(width) / loaded.width(),
      vips::VImage::option()->set("vscale", static_cast<double>(height) / loaded.height()));
  VipsBlob* blob = resized.jpegsave_buffer(vips::VImage::option()->set("Q", quality));
  std::size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  imaging::ResizedImage out{.bytes = std::string(static_cast<const char*>(data), size),
                            .width = resized.width(),
                            .height = resized.height(),
                            .format = core::ImageFormat::jpeg};
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

}  // namespace

core::Result<imaging::ImageInfo> BareLibvipsProcessor::probe(std::string_view bytes,
                                                             const core::Limits& limits) {
  return imaging::VipsImageProcessor().probe(bytes, limits);
}

core::Result<imaging::ResizedImage> BareLibvipsProcessor::resize(std::string_view bytes,
                                                                 const core::ResizeSpec& spec,
                                                                 const core::Limits& /*limits*/) {
  // The JPEG signature, not a probe: the floor reads the header once, as a libvips user would.
  const bool jpeg_in = bytes.starts_with("\xff\xd8\xff");
  const bool jpeg_out =
      spec.format == core::OutputFormat::same || spec.format == core::OutputFormat::jpeg;
  if (!jpeg_in || !jpeg_out || !spec.width || !spec.height) {
    return unsupported("not JPEG to JPEG at a width and a height");
  }
  try {
    return bare_resize(bytes, *spec.width, *spec.height, spec.quality);
  } catch (const vips::VError& error) {
    return core::Error::make(core::ErrorCode::decode_failed, "libvips failed.", error.what());
  }
}

core::Result<imaging::ResizedImage> BareLibvipsProcessor::resize_file(
    int /*fd*/, const core::ResizeSpec& /*spec*/, const core::Limits& /*limits*/) {
  return unsupported("resize_file");
}

}  // namespace image_resize::bench
