#include "imaging/vips_error.h"

#include <exception>
#include <new>
#include <string>
#include <vips/vips8>

namespace image_resize::imaging {

std::string_view public_message_for_library_error(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::decode_failed:
      return "The image could not be decoded: it may be truncated or corrupt. "
             "Upload a complete, valid image.";
    case core::ErrorCode::encode_failed:
      return "The resized image could not be encoded. Try another output format.";
    case core::ErrorCode::unsupported_image:
      return "The file is not an image in an accepted format. "
             "Upload a jpeg, png, webp, gif, tiff, heic or avif image.";
    default: return "An internal error occurred while processing the image.";
  }
}

core::Error translate_current_exception(core::ErrorCode library_error_code,
                                        std::string_view where) {
  const std::string prefix = std::string(where) + ": ";
  try {
    throw;
  } catch (const vips::VError& error) {
    // By name: in libvips 8.14 VError derives from std::exception, not std::runtime_error.
    std::string detail = error.what();
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return core::Error::make(library_error_code,
                             std::string(public_message_for_library_error(library_error_code)),
                             prefix + detail);
  } catch (const std::bad_alloc&) {
    return core::Error::make(
        core::ErrorCode::internal,
        std::string(public_message_for_library_error(core::ErrorCode::internal)),
        prefix + "out of memory");
  } catch (const std::exception& error) {
    return core::Error::make(
        core::ErrorCode::internal,
        std::string(public_message_for_library_error(core::ErrorCode::internal)),
        prefix + error.what());
  } catch (...) {
    return core::Error::make(
        core::ErrorCode::internal,
        std::string(public_message_for_library_error(core::ErrorCode::internal)),
        prefix + "unknown exception");
  }
}

}  // namespace image_resize::imaging
