#pragma once
// Strict decimal integers for form fields and query parameters: digits only, no sign, no
// spaces, no fraction, and no overflow however many digits a client sends.

#include <optional>
#include <string_view>

namespace image_resize::http {

// The value of `text` when it is one or more ASCII digits and lies in [min, max]; else nullopt.
std::optional<int> parse_bounded_int(std::string_view text, int min, int max);

}  // namespace image_resize::http
