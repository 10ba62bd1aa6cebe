#include "imaging/limits_checker.h"

#include <cstdint>
#include <string>

namespace image_resize::imaging {

core::Status LimitsChecker::check_input(int width, int height, int frames) const {
  if (width <= 0 || height <= 0 || frames <= 0) {
    return core::Error::make(core::ErrorCode::unsupported_image,
                             "The image header gives no usable size. Upload a valid image.",
                             "header size " + std::to_string(width) + "x" + std::to_string(height) +
                                 " frames " + std::to_string(frames));
  }
  if (limits_.max_frames > 0 && frames > limits_.max_frames) {
    return core::Error::make(core::ErrorCode::image_too_large,
                             "The animation has " + std::to_string(frames) +
                                 " frames; the limit is " + std::to_string(limits_.max_frames) +
                                 " frames. Upload a shorter animation.");
  }
  const auto per_frame = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  const auto frame_count = static_cast<std::uint64_t>(frames);
  // per_frame * frames > max, written so that it cannot overflow.
  if (limits_.max_input_pixels > 0 && per_frame > limits_.max_input_pixels / frame_count) {
    std::string size = std::to_string(width) + "x" + std::to_string(height);
    if (frames > 1)
      size += " pixels in each of " + std::to_string(frames) + " frames";
    else
      size += " pixels";
    return core::Error::make(core::ErrorCode::image_too_large,
                             "The image is " + size + "; the limit is " +
                                 std::to_string(limits_.max_input_pixels) +
                                 " pixels. Upload a smaller image.");
  }
  return {};
}

core::Status LimitsChecker::check_interlaced(int width, int height,
                                             core::ImageFormat format) const {
  const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  if (limits_.max_interlaced_pixels == 0 || pixels <= limits_.max_interlaced_pixels) return {};
  const std::string kind =
      format == core::ImageFormat::jpeg ? "a progressive JPEG" : "an interlaced image";
  std::string message = "The image is ";
  message.append(kind)
      .append(" of ")
      .append(std::to_string(width))
      .append("x")
      .append(std::to_string(height))
      .append(" pixels; such images must be decoded whole, and their limit is ")
      .append(std::to_string(limits_.max_interlaced_pixels))
      .append(
          " pixels. Upload a smaller image, or save it as baseline (not progressive or "
          "interlaced).");
  return core::Error::make(core::ErrorCode::image_too_large, std::move(message));
}

core::Status LimitsChecker::check_output(int width, int height) const {
  const int side = limits_.max_output_side;
  if (side > 0 && (width > side || height > side)) {
    return core::Error::make(core::ErrorCode::image_too_large,
                             "The output would be " + std::to_string(width) + "x" +
                                 std::to_string(height) + " pixels; the limit is " +
                                 std::to_string(side) +
                                 " pixels per side. Ask for a smaller width or height.");
  }
  return {};
}

}  // namespace image_resize::imaging
