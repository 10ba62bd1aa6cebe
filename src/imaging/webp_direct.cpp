#include "imaging/webp_direct.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace image_resize::imaging {

WebpScaledSize webp_shrink_on_load(int width, int height, int target_width, int target_height) {
  // thumbnail's common shrink (the smaller of the two, never up) and webpload's rounding.
  const double shrink = std::max(1.0, std::min(static_cast<double>(width) / target_width,
                                               static_cast<double>(height) / target_height));
  const double scale = 1.0 / shrink;
  return {std::max(1, static_cast<int>(std::rint(width * scale))),
          std::max(1, static_cast<int>(std::rint(height * scale))), scale};
}

namespace {

struct StillFrame {
  int width = 0;
  int height = 0;
  bool alpha = false;
  std::string_view bitstream;  // the frame's ALPH and VP8/VP8L chunks, inside the file
};

// The file's one frame as webpload reads it: through libwebp's demuxer, which refuses files that
// WebPDecode alone would take (a RIFF size that disagrees with the chunks, a bad chunk order),
// and then only the frame's chunks are decoded. nullopt for those, for an animation, and for a
// frame that does not fill the canvas.
std::optional<StillFrame> still_frame(std::string_view bytes) {
  // webpload's sniffing: the demuxer alone would also take a bare VP8 or VP8L bitstream.
  if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WEBP") {
    return std::nullopt;
  }
  const WebPData data{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
  WebPDemuxer* demuxer = WebPDemux(&data);
  if (demuxer == nullptr) return std::nullopt;
  const std::uint32_t flags = WebPDemuxGetI(demuxer, WEBP_FF_FORMAT_FLAGS);
  StillFrame frame{static_cast<int>(WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_WIDTH)),
                   static_cast<int>(WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_HEIGHT)),
                   (flags & ALPHA_FLAG) != 0,
                   {}};
  WebPIterator iterator;
  bool fills_canvas = false;
  if (WebPDemuxGetFrame(demuxer, 1, &iterator) != 0) {
    fills_canvas = iterator.x_offset == 0 && iterator.y_offset == 0 &&
                   iterator.width == frame.width && iterator.height == frame.height;
    frame.bitstream = {reinterpret_cast<const char*>(iterator.fragment.bytes),
                       iterator.fragment.size};
    WebPDemuxReleaseIterator(&iterator);
  }
  WebPDemuxDelete(demuxer);
  if ((flags & ANIMATION_FLAG) != 0 || !fills_canvas) return std::nullopt;
  return frame;
}

}  // namespace

std::optional<vips::VImage> decode_webp_directly(std::string_view bytes, WebpScaledSize size) {
  const std::optional<StillFrame> frame = still_frame(bytes);
  if (!frame) return std::nullopt;
  const bool expected_size = size.scaled()
                                 ? size.width <= frame->width && size.height <= frame->height
                                 : size.width == frame->width && size.height == frame->height;
  if (!expected_size) return std::nullopt;
  WebPDecoderConfig config;
  if (WebPInitDecoderConfig(&config) == 0) return std::nullopt;
  const bool alpha = frame->alpha;
  const int bands = alpha ? 4 : 3;
  const std::size_t stride = static_cast<std::size_t>(size.width) * bands;
  const std::size_t bytes_out = stride * size.height;
  // libwebp decodes into a buffer of ours, which the image then owns and g_frees.
  auto* pixels = static_cast<std::uint8_t*>(g_try_malloc0(bytes_out));
  if (pixels == nullptr) return std::nullopt;
  config.output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA = {pixels, static_cast<int>(stride), bytes_out};
  if (size.scaled()) {
    config.options.use_scaling = 1;
    config.options.scaled_width = size.width;
    config.options.scaled_height = size.height;
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(frame->bitstream.data());
  if (WebPDecode(data, frame->bitstream.size(), &config) != VP8_STATUS_OK) {
    g_free(pixels);
    return std::nullopt;
  }
  const vips::VImage image = vips::VImage::new_from_memory_steal(
      pixels, bytes_out, size.width, size.height, bands, VIPS_FORMAT_UCHAR);
  // libvips calls 4 bands of uchar multiband; webpload's image, like this one, is sRGB.
  return image.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace image_resize::imaging
