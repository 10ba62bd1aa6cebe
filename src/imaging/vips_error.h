#pragma once
// The libvips exception boundary: vips-cpp reports failures by throwing vips::VError, and
// everything outside imaging/ works with core::Error values, so no exception crosses a port. This
// is the one function that turns the exception in flight into a core::Error.

#include <string_view>

#include "core/error.h"

namespace image_resize::imaging {

// Call only inside a `catch (...)` block. A vips::VError becomes `library_error_code` with a
// public message for that code and the libvips text as the internal message; std::bad_alloc
// and anything else become ErrorCode::internal. `where` names the step, for the logs.
core::Error translate_current_exception(core::ErrorCode library_error_code, std::string_view where);

// The message a client is shown for a libvips failure reported as `code`.
std::string_view public_message_for_library_error(core::ErrorCode code);

}  // namespace image_resize::imaging
