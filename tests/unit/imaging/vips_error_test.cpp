// translate_current_exception: the one place libvips exceptions become core::Error values.
#include "imaging/vips_error.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>
#include <type_traits>
#include <vips/vips8>

namespace image_resize::imaging {
namespace {

// Why VError is caught by name: in libvips 8.14 it is not a std::runtime_error.
static_assert(!std::is_base_of_v<std::runtime_error, vips::VError>);

template <class Exception>
core::Error translate(const Exception& exception, core::ErrorCode code) {
  try {
    throw exception;
  } catch (...) {
    return translate_current_exception(code, "test_step");
  }
}

TEST(TranslateCurrentException, VErrorTakesTheStepsCode) {
  const core::Error error = translate(vips::VError("VipsJpeg: Premature end of input file\n"),
                                      core::ErrorCode::decode_failed);
  EXPECT_EQ(error.code, core::ErrorCode::decode_failed);
  EXPECT_EQ(error.internal_message, "test_step: VipsJpeg: Premature end of input file");
  EXPECT_EQ(error.public_message, public_message_for_library_error(core::ErrorCode::decode_failed));
  // The library's text stays internal.
  EXPECT_EQ(error.public_message.find("VipsJpeg"), std::string::npos);
}

TEST(TranslateCurrentException, EncodeFailureHasItsOwnMessage) {
  const core::Error error =
      translate(vips::VError("heifsave: no encoder"), core::ErrorCode::encode_failed);
  EXPECT_EQ(error.code, core::ErrorCode::encode_failed);
  EXPECT_NE(error.public_message, public_message_for_library_error(core::ErrorCode::decode_failed));
}

TEST(TranslateCurrentException, OtherExceptionsAreInternal) {
  EXPECT_EQ(translate(std::bad_alloc(), core::ErrorCode::decode_failed).code,
            core::ErrorCode::internal);
  const core::Error runtime = translate(std::runtime_error("boom"), core::ErrorCode::decode_failed);
  EXPECT_EQ(runtime.code, core::ErrorCode::internal);
  EXPECT_EQ(runtime.internal_message, "test_step: boom");
  EXPECT_EQ(translate(42, core::ErrorCode::decode_failed).code, core::ErrorCode::internal);
}

}  // namespace
}  // namespace image_resize::imaging
