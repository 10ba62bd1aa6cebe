#include "imaging/encode.h"

#include <optional>

#include "imaging/eval_deadline.h"
#include "imaging/frames.h"
#include "imaging/vips_blob.h"
#include "imaging/vips_error.h"
#include "imaging/webp_metadata.h"

namespace image_resize::imaging {
namespace {

VipsBlob* save(const vips::VImage& image, core::ImageFormat format, int quality,
               EncodeFlags flags) {
  // strip: no EXIF, XMP, IPTC or ICC in the output unless the client keeps them. page_height:
  // the frame layout, for the formats that can animate.
  vips::VOption* options = vips::VImage::option()->set("strip", !flags.keep_metadata);
  switch (format) {
    case core::ImageFormat::jpeg:
      return image.jpegsave_buffer(options->set("Q", quality)
                                       ->set("optimize_coding", true)
                                       ->set("interlace", flags.progressive));
    case core::ImageFormat::png:
      return image.pngsave_buffer(
          options->set("compression", 6)->set("interlace", flags.progressive));
    case core::ImageFormat::webp:
      return image.webpsave_buffer(options->set("Q", quality)
                                       ->set("lossless", flags.lossless)
                                       ->set("page_height", frame_height(image)));
    case core::ImageFormat::gif:
      return image.gifsave_buffer(
          options->set("page_height", frame_height(image))->set("interlace", flags.progressive));
    case core::ImageFormat::tiff:
      return image.tiffsave_buffer(
          options->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE)
              ->set("predictor", VIPS_FOREIGN_TIFF_PREDICTOR_HORIZONTAL));
    case core::ImageFormat::heic:
      return image.heifsave_buffer(options->set("Q", quality)
                                       ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC)
                                       ->set("bitdepth", 8));
    case core::ImageFormat::avif:
      return image.heifsave_buffer(options->set("Q", quality)
                                       ->set("lossless", flags.lossless)
                                       ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
                                       ->set("bitdepth", 8));
    case core::ImageFormat::jxl:
      return image.jxlsave_buffer(options->set("Q", quality)->set("lossless", flags.lossless));
  }
  delete options;
  throw vips::VError("no saver for this format");
}

}  // namespace

std::string save_to_buffer(const vips::VImage& image, core::ImageFormat format, int quality,
                           EncodeFlags flags) {
  const VipsBlobPtr blob(save(image, format, quality, flags));
  std::size_t size = 0;
  const void* data = vips_blob_get(blob.get(), &size);
  std::string bytes(static_cast<const char*>(data), size);
  if (format == core::ImageFormat::webp && !flags.keep_metadata) return strip_webp_metadata(bytes);
  return bytes;
}

core::Status encode(Context& context) {
  // libvips computes the pixels here, while the saver pulls them: stop it at the deadline.
  std::optional<EvalDeadline> stopper;
  if (context.deadline) stopper.emplace(context.image, *context.deadline);
  context.output = save_to_buffer(context.image, context.output_format, context.spec.quality,
                                  {.progressive = context.spec.progressive,
                                   .lossless = context.spec.lossless,
                                   .keep_metadata = !context.spec.strip});
  if (context.output.empty()) {
    return core::Error::make(
        core::ErrorCode::encode_failed,
        std::string(public_message_for_library_error(core::ErrorCode::encode_failed)),
        "the saver wrote no bytes");
  }
  return {};
}

}  // namespace image_resize::imaging
